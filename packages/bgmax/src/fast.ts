/**
 * Internal: the fast path for the hot record types (TK20-TK23, TK25-TK29). Reads fields straight from
 * an 80-character line when the line is clean: every check the record reader makes would pass (digits
 * where digits belong, known codes, blank fillers, only printable ASCII and the Nordic letters in
 * text). Anything else returns `undefined` and takes the general path, which reports the issues; so
 * the fast path never changes a result, it only skips work.
 */

import { NORDIC_TEXT } from '@nordfil/core';

/** Characters a clean text field may hold: printable ASCII and the Nordic letters the reader accepts (core's). */
const TEXT_OK = NORDIC_TEXT;

/**
 * The functions below read an 80-character record at offset `o` of a longer text `t` (the decoded chunk it
 * was found in), so no line string is cut for a record the fast path takes. They check characters in `b`,
 * the latin-1 bytes of `t` at the same offsets (a byte is its character there): byte loads compile to plain
 * loads, where reading `t` character by character checks the string's kind on every read. They cut the
 * fields they keep from `t`. Columns are 0-based.
 */

/**
 * The bytes the fast path checks a record in, with `t`, the text it cuts fields from (see {@link recordBytes}).
 * One shared object: read it before the next call.
 */
export interface RecordBytes {
  b: Buffer;
  t: string;
  o: number;
}

const SCRATCH_BYTES = Buffer.alloc(80);
const RESOLVED: RecordBytes = { b: SCRATCH_BYTES, t: '', o: 0 };

/**
 * Where the record at offset `o` of `t` can be checked: in `bytes` at the same offset when `bytes` are the
 * latin-1 bytes of `t` (the decoded chunk), else in a scratch copy of its 80 characters (a record joined
 * from two chunks, or text that was not decoded from latin-1), cut from `t` anew; `undefined` when a
 * character is outside latin-1 (never a clean record).
 */
export function recordBytes(t: string, o: number, text: string, bytes: Buffer | undefined): RecordBytes | undefined {
  const r = RESOLVED;
  if (t === text && bytes !== undefined) {
    r.b = bytes;
    r.t = t;
    r.o = o;
    return r;
  }
  for (let i = 0; i < 80; i++) {
    const c = t.charCodeAt(o + i);
    if (c > 0xff) return undefined;
    SCRATCH_BYTES[i] = c;
  }
  r.b = SCRATCH_BYTES;
  r.t = t.slice(o, o + 80);
  r.o = 0;
  return r;
}

/** True when columns [s, e) of the record at `o` are all digits. */
export function digitsAt(b: Buffer, o: number, s: number, e: number): boolean {
  for (let i = o + s; i < o + e; i++) {
    const c = b[i] as number;
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** True when columns [s, e) of the record at `o` are all blanks (a clean filler). */
export function blanksAt(b: Buffer, o: number, s: number, e: number): boolean {
  for (let i = o + s; i < o + e; i++) if (b[i] !== 32) return false;
  return true;
}

/**
 * A copy of a string that does not keep its parent alive. A slice of 13 or more characters is a view
 * into the parent (here: a decoded chunk of the input), so a kept name would keep the whole chunk.
 * Joining two halves makes a new string that is flattened at once (reading a character does it): the
 * copy is then one flat string, where `(' ' + s).slice(1)` would keep a view into a flat copy (two
 * objects, twice the memory of a kept field).
 */
export function own(s: string): string {
  if (s.length < 13) return s;
  const k = s.length >> 1;
  const c = s.slice(0, k) + s.slice(k);
  // stored, so the compiler cannot drop the read that flattens
  FLATTEN.last = c.charCodeAt(0);
  return c;
}
const FLATTEN = { last: 0 };

/**
 * Columns [s, e) of the record at `o` without trailing blanks, as an own string cut from `t` (the codec's
 * `text` read), or undefined when they hold a character a clean text field may not hold.
 */
export function cleanTextAt(b: Buffer, t: string, o: number, s: number, e: number): string | undefined {
  let end = o + e;
  const start = o + s;
  while (end > start && b[end - 1] === 32) end--;
  for (let i = start; i < end; i++) if (TEXT_OK[b[i] as number] === 0) return undefined;
  if (end === start) return '';
  return end - start < 13 ? t.slice(start, end) : own(t.slice(start, end));
}

/**
 * Columns [s, s + 18) of the record at `o` as an amount in öre: a number below 9 * 10^15 (every real
 * amount; exact, as a safe integer), a bigint above; -1 when they are not all digits.
 */
export function amountAt(b: Buffer, o: number, s: number): number | bigint {
  let hi = 0;
  const a = o + s;
  for (let i = a; i < a + 9; i++) {
    const c = (b[i] as number) - 48;
    if (c < 0 || c > 9) return -1;
    hi = hi * 10 + c;
  }
  let lo = 0;
  for (let i = a + 9; i < a + 18; i++) {
    const c = (b[i] as number) - 48;
    if (c < 0 || c > 9) return -1;
    lo = lo * 10 + c;
  }
  // exact in a double below 2^53: 9 * 10^15 and less always fits
  return hi < 9_000_000 ? hi * 1_000_000_000 + lo : BigInt(hi) * 1_000_000_000n + BigInt(lo);
}

/** The fields of a clean TK20-TK23 line. */
export interface FastPayment {
  senderBankgiro: string;
  reference: string;
  amount: number | bigint;
  referenceCode: string;
  channel: string;
  serialNumber: string;
  imageFlag: string;
}

const SCRATCH: FastPayment = {
  senderBankgiro: '',
  reference: '',
  amount: 0,
  referenceCode: '',
  channel: '',
  serialNumber: '',
  imageFlag: '',
};

const CODE_CHARS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

/**
 * Columns 3-70 of the TK20-TK23 record at offset `o` (bytes `b`, text `t`) when they are clean (the codec
 * and the payment field checks would report nothing), else undefined. The reference is trimmed as the
 * assembler keeps it. Returns a shared scratch object: copy what is kept before the next call.
 */
export function paymentColumns(b: Buffer, t: string, o: number): FastPayment | undefined {
  // senderBankgiro (3-12): 10 digits; serial number (58-69); amount (38-55): 18 digits
  if (!digitsAt(b, o, 2, 12) || !digitsAt(b, o, 57, 69)) return undefined;
  const amount = amountAt(b, o, 37);
  if (amount === -1) return undefined;
  const rc = (b[o + 55] as number) - 48;
  const ch = (b[o + 56] as number) - 48;
  const im = (b[o + 69] as number) - 48;
  if (rc < 0 || rc > 5 || ch < 1 || ch > 4 || (im !== 0 && im !== 1)) return undefined;
  let reference: string;
  if (rc === 2) {
    // right-aligned digits (or all blank): leading blanks dropped
    let s = o + 12;
    const e = o + 37;
    while (s < e && b[s] === 32) s++;
    if (s === e) reference = '';
    else {
      for (let i = s; i < e; i++) {
        const c = b[i] as number;
        if (c < 48 || c > 57) return undefined;
      }
      reference = e - s < 13 ? t.slice(s, e) : own(t.slice(s, e));
    }
  } else {
    const r = cleanTextAt(b, t, o, 12, 37);
    if (r === undefined) return undefined;
    reference = r;
  }
  const r = SCRATCH;
  r.senderBankgiro = t.slice(o + 2, o + 12);
  r.reference = reference;
  r.amount = amount;
  r.referenceCode = CODE_CHARS[rc]!;
  r.channel = CODE_CHARS[ch]!;
  r.serialNumber = t.slice(o + 57, o + 69);
  r.imageFlag = CODE_CHARS[im]!;
  return r;
}
