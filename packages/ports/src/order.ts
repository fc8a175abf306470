/**
 * Compares two strings in Unicode code point order, which is also UTF-8 byte order and PostgreSQL's
 * `COLLATE "C"` order on a UTF-8 database. JavaScript's default `sort()` compares UTF-16 code units,
 * which differs for characters above U+FFFF; every port sorts with this so all backends agree.
 *
 * @example
 * ['b', 'a', 'Z', 'ä'].sort(compareCodePoints); // ['Z', 'a', 'b', 'ä']
 */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // surrogates (D800–DFFF) encode code points above FFFF: move them above E000–FFFF
    if (x >= 0xd800) x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
    if (y >= 0xd800) y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    return x - y;
  }
  return a.length - b.length;
}
