/**
 * Internal: the fast path for the hot record types (TK20-TK23, TK25-TK29). Reads fields straight from
 * an 80-character line when the line is clean: every check the record reader makes would pass (digits
 * where digits belong, known codes, blank fillers, only printable ASCII and the Nordic letters in
 * text). Anything else returns `undefined` and takes the general path, which reports the issues; so
 * the fast path never changes a result, it only skips work.
 */

/** Characters a clean text field may hold: printable ASCII and the Nordic letters the reader accepts. */
const TEXT_OK = new Uint8Array(256);
for (let c = 0x20; c <= 0x7e; c++) TEXT_OK[c] = 1;
for (const c of [0xc4, 0xc5, 0xd6, 0xe4, 0xe5, 0xf6, 0xc6, 0xd8, 0xe6, 0xf8, 0xc9, 0xe9, 0xdc, 0xfc, 0xc8, 0xe8]) {
  TEXT_OK[c] = 1;
}

/** True when columns [s, e) hold only characters a clean text field may hold. */
export function cleanText(t: string, s: number, e: number): boolean {
  for (let i = s; i < e; i++) {
    const c = t.charCodeAt(i);
    if (c > 0xff || TEXT_OK[c] === 0) return false;
  }
  return true;
}

/** True when columns [s, e) are all digits. */
export function digitsAt(t: string, s: number, e: number): boolean {
  for (let i = s; i < e; i++) {
    const c = t.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** True when columns [s, e) are all blanks (a clean filler). */
export function blanksAt(t: string, s: number, e: number): boolean {
  for (let i = s; i < e; i++) if (t.charCodeAt(i) !== 32) return false;
  return true;
}

/**
 * A copy of a string that does not keep its parent alive. A slice of 13 or more characters is a view
 * into the parent (here: a decoded chunk of the input), so a kept name would keep the whole chunk.
 */
export function own(s: string): string {
  return s.length < 13 ? s : ` ${s}`.slice(1);
}

/** Columns [s, e) without trailing blanks, as an own string (the codec's `text` read). */
export function textAt(t: string, s: number, e: number): string {
  while (e > s && t.charCodeAt(e - 1) === 32) e--;
  return e === s ? '' : own(t.slice(s, e));
}

/** Columns [s, s + 18) as a bigint amount, or -1n when they are not all digits. */
export function amountAt(t: string, s: number): bigint {
  let hi = 0;
  for (let i = s; i < s + 9; i++) {
    const c = t.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1n;
    hi = hi * 10 + c;
  }
  let lo = 0;
  for (let i = s + 9; i < s + 18; i++) {
    const c = t.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1n;
    lo = lo * 10 + c;
  }
  return hi === 0 ? BigInt(lo) : BigInt(hi) * 1_000_000_000n + BigInt(lo);
}

/** The fields of a clean TK20-TK23 line. */
export interface FastPayment {
  senderBankgiro: string;
  reference: string;
  amount: bigint;
  referenceCode: string;
  channel: string;
  serialNumber: string;
  imageFlag: string;
}

const SCRATCH: FastPayment = {
  senderBankgiro: '',
  reference: '',
  amount: 0n,
  referenceCode: '',
  channel: '',
  serialNumber: '',
  imageFlag: '',
};

const CODE_CHARS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

/**
 * Columns 3-70 of a TK20-TK23 line when they are clean (the codec and the payment field checks would
 * report nothing), else undefined (`clean`: the line is known to hold only accepted characters). The
 * reference is trimmed as the assembler keeps it. Returns a
 * shared scratch object: copy what is kept before the next call.
 */
export function paymentColumns(t: string, clean: boolean): FastPayment | undefined {
  // senderBankgiro (3-12): 10 digits; serial number (58-69); amount (38-55): 18 digits
  if (!digitsAt(t, 2, 12) || !digitsAt(t, 57, 69)) return undefined;
  const amount = amountAt(t, 37);
  if (amount < 0n) return undefined;
  const rc = t.charCodeAt(55) - 48;
  const ch = t.charCodeAt(56) - 48;
  const im = t.charCodeAt(69) - 48;
  if (rc < 0 || rc > 5 || ch < 1 || ch > 4 || (im !== 0 && im !== 1)) return undefined;
  let reference: string;
  if (rc === 2) {
    // right-aligned digits (or all blank): leading blanks dropped
    let s = 12;
    while (s < 37 && t.charCodeAt(s) === 32) s++;
    if (s === 37) reference = '';
    else {
      if (!digitsAt(t, s, 37)) return undefined;
      reference = t.slice(s, 37);
      if (reference.length >= 13) reference = own(reference);
    }
  } else {
    if (!clean && !cleanText(t, 12, 37)) return undefined;
    reference = textAt(t, 12, 37);
  }
  const r = SCRATCH;
  r.senderBankgiro = t.slice(2, 12);
  r.reference = reference;
  r.amount = amount;
  r.referenceCode = CODE_CHARS[rc]!;
  r.channel = CODE_CHARS[ch]!;
  r.serialNumber = t.slice(57, 69);
  r.imageFlag = CODE_CHARS[im]!;
  return r;
}
