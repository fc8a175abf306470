/** Internal: blank-only trimming and the "all zeros means empty" rule (reference 2.2). */

/** Removes leading and trailing blanks (U+0020 only: other characters are data). */
export function trimBlanks(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && s.charCodeAt(a) === 32) a++;
  while (b > a && s.charCodeAt(b - 1) === 32) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

/** Non-empty and only the digit 0. */
export function isZeros(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) !== 48) return false;
  return true;
}

/** A text field's value: blank-trimmed; undefined when blank or all zeros. */
export function opt(s: string): string | undefined {
  if (s.length === 0) return undefined;
  const c0 = s.charCodeAt(0);
  if (c0 === 32 || s.charCodeAt(s.length - 1) === 32) {
    s = trimBlanks(s);
    if (s.length === 0) return undefined;
  } else if (c0 !== 48) return s;
  return isZeros(s) ? undefined : s;
}

/** True when {@link opt} changes a (right-trimmed) field: the canonical writer would not reproduce it. */
export function changedByOpt(s: string): boolean {
  if (s.length === 0) return false;
  return s.charCodeAt(0) === 32 || s.charCodeAt(s.length - 1) === 32 || isZeros(s);
}
