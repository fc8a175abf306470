/**
 * Bytes <-> text, with an explicit encoding: one function per direction ({@link decode}, {@link encode}),
 * a streaming decoder ({@link createDecoder}) and a check for UTF-8 text delivered as latin-1
 * ({@link detectNordicMojibake}).
 *
 * Nordic bank files are ISO-8859-1 (latin-1): one byte is one character, so decoding is a table-free
 * copy and columns can be cut after decoding. That path is the hot one (files parse at well over
 * 150 MB/s) and goes straight to Node's native latin-1 decoder.
 */
import { isUtf8 } from 'node:buffer';
import { TextDecoder } from 'node:util';
import iconv from 'iconv-lite';
import { issue, NordfilError } from './errors.js';

/** An encoding name nordfil accepts. `iso-8859-1` is an alias of `latin1`, `utf8` of `utf-8`. */
export type EncodingName = 'latin1' | 'iso-8859-1' | 'windows-1252' | 'cp850' | 'utf-8' | 'utf8';

/** The canonical spelling of an {@link EncodingName}, after aliases are resolved. */
export type CanonicalEncoding = 'latin1' | 'windows-1252' | 'cp850' | 'utf-8';

const ALIASES: Readonly<Record<string, CanonicalEncoding>> = {
  latin1: 'latin1',
  'latin-1': 'latin1',
  'iso-8859-1': 'latin1',
  iso88591: 'latin1',
  'iso_8859-1': 'latin1',
  'windows-1252': 'windows-1252',
  cp1252: 'windows-1252',
  win1252: 'windows-1252',
  cp850: 'cp850',
  ibm850: 'cp850',
  'utf-8': 'utf-8',
  utf8: 'utf-8',
};

/**
 * Resolves an encoding name (case-insensitive, aliases included) to its canonical spelling.
 * Throws a NordfilError `unsupported_encoding` for anything else.
 *
 * @example
 * normalizeEncoding('ISO-8859-1'); // 'latin1'
 * normalizeEncoding('utf8');       // 'utf-8'
 */
export function normalizeEncoding(encoding: EncodingName | string): CanonicalEncoding {
  const canonical = ALIASES[encoding.toLowerCase()];
  if (canonical === undefined) {
    throw new NordfilError(
      issue(
        'unsupported_encoding',
        `unsupported encoding "${encoding}"; expected one of latin1, iso-8859-1, windows-1252, cp850, utf-8`,
        { actual: encoding },
      ),
    );
  }
  return canonical;
}

/** The bytes start with a UTF-8 byte order mark. */
function startsWithBom(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}

/** A Buffer view of the same memory (no copy). */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Options for {@link decode}. */
export interface DecodeOptions {
  /**
   * UTF-8 only: throw a NordfilError `invalid_utf8` on malformed sequences instead of decoding them as
   * U+FFFD. Default false.
   */
  readonly fatal?: boolean;
}

/**
 * Decodes bytes to text. latin-1 is a native 1:1 copy (the fast path); UTF-8 drops a leading byte order
 * mark; windows-1252 and cp850 go through iconv-lite.
 *
 * @example
 * decode(new Uint8Array([0xc5, 0x73, 0x61]), 'latin1');             // 'Åsa'
 * decode(new Uint8Array([0xef, 0xbb, 0xbf, 0x41]), 'utf-8');        // 'A' (BOM dropped)
 */
export function decode(bytes: Uint8Array, encoding: EncodingName = 'latin1', options: DecodeOptions = {}): string {
  const enc = encoding === 'latin1' ? 'latin1' : normalizeEncoding(encoding);
  if (enc === 'latin1') return asBuffer(bytes).toString('latin1');
  if (enc === 'utf-8') {
    let start = 0;
    if (startsWithBom(bytes)) start = 3;
    const body = start === 0 ? bytes : bytes.subarray(start);
    if (options.fatal === true && !isUtf8(body)) {
      throw new NordfilError(issue('invalid_utf8', 'the input is not valid UTF-8'));
    }
    return asBuffer(body).toString('utf8');
  }
  return iconv.decode(asBuffer(bytes), enc);
}

/** Options for {@link encode}. */
export interface EncodeOptions {
  /** UTF-8 only: start the output with a byte order mark (EF BB BF). Default false. */
  readonly bom?: boolean;
  /**
   * What to do with a character the encoding cannot represent (e.g. `€` in latin-1): `error` (default)
   * throws a NordfilError `unencodable_character` naming the first one; `replace` writes `?`.
   */
  readonly unencodable?: 'error' | 'replace';
}

const NON_LATIN1 = /[^\u0000-\u00ff]/;
const NON_LATIN1_G = /[^\u0000-\u00ff]/g;

function unencodable(text: string, offset: number, enc: CanonicalEncoding): NordfilError {
  const ch = String.fromCodePoint(text.codePointAt(offset) ?? 0xfffd);
  const hex = (text.codePointAt(offset) ?? 0).toString(16).toUpperCase().padStart(4, '0');
  return new NordfilError(
    issue('unencodable_character', `"${ch}" (U+${hex}) at offset ${offset} cannot be written in ${enc}`, {
      column: offset + 1,
      actual: ch,
    }),
  );
}

/**
 * Encodes text to bytes, the inverse of {@link decode}. Refuses (by default) characters the encoding
 * cannot hold rather than corrupting them silently.
 *
 * @example
 * encode('Åsa', 'latin1');                 // Uint8Array [0xc5, 0x73, 0x61]
 * encode('A', 'utf-8', { bom: true });     // Uint8Array [0xef, 0xbb, 0xbf, 0x41]
 * encode('5 €', 'latin1');                 // throws NordfilError unencodable_character
 */
export function encode(text: string, encoding: EncodingName = 'latin1', options: EncodeOptions = {}): Uint8Array {
  const enc = normalizeEncoding(encoding);
  const replace = options.unencodable === 'replace';
  if (enc === 'latin1') {
    const m = NON_LATIN1.exec(text);
    if (m !== null) {
      if (!replace) throw unencodable(text, m.index, enc);
      // a surrogate pair is one character: one '?'
      text = text.replace(/[\ud800-\udbff][\udc00-\udfff]/g, '?').replace(NON_LATIN1_G, '?');
    }
    return Buffer.from(text, 'latin1');
  }
  if (enc === 'utf-8') {
    const body = Buffer.from(text, 'utf8');
    if (options.bom !== true) return body;
    const out = Buffer.allocUnsafe(body.length + 3);
    out[0] = 0xef;
    out[1] = 0xbb;
    out[2] = 0xbf;
    body.copy(out, 3);
    return out;
  }
  const bytes = iconv.encode(text, enc);
  if (!replace) {
    // iconv-lite substitutes '?' silently: find the first character that did not survive
    const back = iconv.decode(bytes, enc);
    if (back !== text) {
      let i = 0;
      while (i < text.length && text.charCodeAt(i) === back.charCodeAt(i)) i++;
      throw unencodable(text, i, enc);
    }
  }
  return bytes;
}

/** A streaming decoder: feed chunks in any split, get text out; {@link createDecoder} makes one. */
export interface StreamDecoder {
  /** The canonical encoding this decoder reads. */
  readonly encoding: CanonicalEncoding;
  /** Decodes a chunk. Bytes of a character split across chunks are held back until the next call. */
  write(chunk: Uint8Array): string;
  /** Flushes what is held back (an incomplete UTF-8 sequence becomes U+FFFD). */
  end(): string;
}

/**
 * Creates a streaming decoder. UTF-8 sequences split across chunks are joined correctly and a leading
 * BOM is dropped; the single-byte encodings need no state.
 *
 * @example
 * const d = createDecoder('utf-8');
 * d.write(new Uint8Array([0x41, 0xc3])) + d.write(new Uint8Array([0x85])) + d.end(); // 'AÅ'
 */
export function createDecoder(encoding: EncodingName = 'latin1'): StreamDecoder {
  const enc = normalizeEncoding(encoding);
  if (enc === 'latin1') {
    return { encoding: enc, write: (chunk) => asBuffer(chunk).toString('latin1'), end: () => '' };
  }
  if (enc === 'utf-8') {
    // TextDecoder drops a BOM at the start of the stream (ignoreBOM: false) and joins split sequences
    const td = new TextDecoder('utf-8', { ignoreBOM: false });
    return {
      encoding: enc,
      write: (chunk) => td.decode(chunk, { stream: true }),
      end: () => td.decode(),
    };
  }
  const inner = iconv.getDecoder(enc);
  return {
    encoding: enc,
    write: (chunk) => inner.write(asBuffer(chunk)),
    end: () => inner.end() ?? '',
  };
}

/**
 * True when the bytes are well-formed UTF-8 (pure ASCII included).
 *
 * @example
 * isValidUtf8(new Uint8Array([0xc3, 0x85]));  // true  ('Å' in UTF-8)
 * isValidUtf8(new Uint8Array([0xc5, 0x73]));  // false ('Ås' in latin-1)
 */
export function isValidUtf8(bytes: Uint8Array): boolean {
  return isUtf8(bytes);
}

/** One UTF-8 sequence for a Nordic letter found in bytes declared latin-1. */
export interface MojibakeEvidence {
  /** Byte offset of the sequence's first byte. */
  readonly offset: number;
  /** The bytes in hex, e.g. `C3 A5`. */
  readonly sequence: string;
  /** The letter the sequence encodes in UTF-8, e.g. `å`. */
  readonly char: string;
  /** How the sequence reads as latin-1, e.g. `Ã¥` (what a user would see). */
  readonly asLatin1: string;
}

/** What {@link detectNordicMojibake} found. */
export interface MojibakeReport {
  /**
   * True when the bytes contain UTF-8 sequences for Nordic letters (å ä ö æ ø é and capitals) and are
   * as a whole valid UTF-8: the file was almost certainly written as UTF-8, not latin-1.
   */
  readonly likelyUtf8: boolean;
  /** How many Nordic-letter UTF-8 sequences were found. */
  readonly count: number;
  /** The first few sequences (at most `maxEvidence`). */
  readonly evidence: readonly MojibakeEvidence[];
  /** Whether the whole input is valid UTF-8. */
  readonly validUtf8: boolean;
  /**
   * Bytes 0x80-0x9F, which are C1 control characters in latin-1 and never appear in real latin-1 text:
   * a further sign of another encoding (UTF-8 continuation bytes or windows-1252). Absent when none.
   */
  readonly invalidLatin1?: { readonly count: number; readonly firstOffset: number };
}

// second byte after 0xC3 -> the letter it makes in UTF-8
const NORDIC_AFTER_C3: ReadonlyMap<number, string> = new Map([
  [0xa5, 'å'],
  [0xa4, 'ä'],
  [0xb6, 'ö'],
  [0xa6, 'æ'],
  [0xb8, 'ø'],
  [0xa9, 'é'],
  [0x85, 'Å'],
  [0x84, 'Ä'],
  [0x96, 'Ö'],
  [0x86, 'Æ'],
  [0x98, 'Ø'],
  [0x89, 'É'],
]);

const hex2 = (b: number): string => b.toString(16).toUpperCase().padStart(2, '0');

/**
 * Tells whether bytes declared latin-1 are in fact UTF-8: a file re-encoded by a tool shows `Ã¥` for `å`
 * after latin-1 decoding. Looks for the UTF-8 sequences of å ä ö æ ø é Å Ä Ö Æ Ø É (C3 A5, C3 A4, C3 B6,
 * C3 A6, C3 B8, C3 A9, C3 85, C3 84, C3 96, C3 86, C3 98, C3 89).
 *
 * @example
 * detectNordicMojibake(new TextEncoder().encode('Åsa Öberg')).likelyUtf8;   // true
 * detectNordicMojibake(encode('Åsa Öberg', 'latin1')).likelyUtf8;           // false
 */
export function detectNordicMojibake(bytes: Uint8Array, options: { maxEvidence?: number } = {}): MojibakeReport {
  const maxEvidence = options.maxEvidence ?? 5;
  const evidence: MojibakeEvidence[] = [];
  let count = 0;
  let c1 = 0;
  let firstC1 = -1;
  const n = bytes.length;
  for (let i = 0; i < n; i++) {
    const b = bytes[i]!;
    if (b < 0x80) continue;
    if (b <= 0x9f) {
      if (c1++ === 0) firstC1 = i;
      continue;
    }
    if (b === 0xc3 && i + 1 < n) {
      const next = bytes[i + 1]!;
      const char = NORDIC_AFTER_C3.get(next);
      if (char !== undefined) {
        if (evidence.length < maxEvidence) {
          evidence.push({
            offset: i,
            sequence: `C3 ${hex2(next)}`,
            char,
            asLatin1: `Ã${String.fromCharCode(next)}`,
          });
        }
        count++;
        // the second byte is 0x80-0xBF: count it as C1 below when it is one, then skip it
        if (next <= 0x9f && c1++ === 0) firstC1 = i + 1;
        i++;
      }
    }
  }
  const validUtf8 = isUtf8(bytes);
  const report: MojibakeReport = { likelyUtf8: count > 0 && validUtf8, count, evidence, validUtf8 };
  return c1 > 0 ? { ...report, invalidLatin1: { count: c1, firstOffset: firstC1 } } : report;
}

/** What a bank file reader is told about its bytes: latin-1, UTF-8, or `auto` to tell the two apart. */
export type FileEncoding = 'auto' | 'latin1' | 'utf-8';

/** Options of {@link FileDecoder}. */
export interface FileDecoderOptions {
  /**
   * Look for a UTF-8 byte order mark also when latin-1 is asked for (it is then dropped and `bom` set).
   * Default false: latin-1 reads every byte as a character.
   */
  readonly bomWithLatin1?: boolean;
}

const UTF8_BOM = [0xef, 0xbb, 0xbf];

/** Length of a UTF-8 sequence from its lead byte, or 0 when the byte cannot start one. */
function utf8SequenceLength(b: number): number {
  if (b >= 0xc2 && b <= 0xdf) return 2;
  if (b >= 0xe0 && b <= 0xef) return 3;
  if (b >= 0xf0 && b <= 0xf4) return 4;
  return 0;
}

/**
 * How many bytes, from the first non-ASCII byte on, `auto` looks at: UTF-8 when they are valid UTF-8 (a
 * sequence cut by the window's end aside), else latin-1. One letter is not enough: latin-1 text can hold a
 * pair that happens to be valid UTF-8 (`Ã©`), and the Nordic letters after it then tell.
 */
export const ENCODING_WINDOW = 64 * 1024;

/** Valid UTF-8, but for a sequence that the end of `bytes` cuts short. */
function utf8UpToCut(bytes: Uint8Array): boolean {
  const n = bytes.length;
  let end = n;
  // a lead byte among the last three whose sequence runs past the end: look only before it
  for (let i = n - 1; i >= 0 && i >= n - 3; i--) {
    const b = bytes[i]!;
    if (b < 0x80) break;
    if (b >= 0xc0) {
      if (i + utf8SequenceLength(b) > n) end = i;
      break;
    }
  }
  return isUtf8(bytes.subarray(0, end));
}

/**
 * The `auto` decision from the bytes at and after the first non-ASCII byte (`from`, at most
 * {@link ENCODING_WINDOW} of them; `complete` when the input ends within them).
 */
function decideFrom(from: Uint8Array, complete: boolean): 'latin1' | 'utf-8' {
  if (utf8SequenceLength(from[0]!) === 0) return 'latin1';
  const window = from.length > ENCODING_WINDOW ? from.subarray(0, ENCODING_WINDOW) : from;
  return (complete && window === from ? isUtf8(window) : utf8UpToCut(window)) ? 'utf-8' : 'latin1';
}

/**
 * The encoding of a whole input under `auto`, decided as {@link FileDecoder} decides a stream of it: UTF-8
 * with a byte order mark, or when the first non-ASCII byte starts the {@link ENCODING_WINDOW} bytes that are
 * valid UTF-8; else latin-1 (also for ASCII only).
 *
 * @example
 * wholeFileEncoding(new Uint8Array([0x41, 0xc3, 0x85])); // 'utf-8' ('AÅ')
 * wholeFileEncoding(new Uint8Array([0x41, 0xc5, 0x41])); // 'latin1' ('AÅA')
 */
export function wholeFileEncoding(bytes: Uint8Array): 'latin1' | 'utf-8' {
  if (startsWithBom(bytes)) return 'utf-8';
  const n = bytes.length;
  let p = 0;
  while (p < n && bytes[p]! < 0x80) p++;
  if (p === n) return 'latin1'; // ASCII only
  return decideFrom(bytes.subarray(p), true);
}

/**
 * Decodes the chunks of a bank file that is latin-1 or UTF-8, in any chunking and bounded memory. With
 * `auto`, ASCII (which reads the same in both) is decoded as it comes, and the encoding is decided at a byte
 * order mark, or at the first non-ASCII byte, wherever it is, from the {@link ENCODING_WINDOW} bytes that
 * start there (held back until they are in, or the input ends): UTF-8 when they are valid UTF-8, else
 * latin-1. Every chunking of the same bytes decides the same way, and as {@link wholeFileEncoding} decides the
 * whole input. A byte order mark is dropped from the text and reported in `bom`.
 *
 * @example
 * const d = new FileDecoder('auto');
 * d.write(new Uint8Array([0x41, 0xc3])) + d.write(new Uint8Array([0x85])) + d.end(); // 'AÅ'
 * d.encoding; // 'utf-8'
 */
export class FileDecoder {
  /** The encoding in use: undefined while `auto` has not decided (latin-1 once the input has ended undecided). */
  encoding: 'latin1' | 'utf-8' | undefined;
  /** The input starts with a UTF-8 byte order mark (dropped from the text). */
  bom = false;
  /** `auto` chose UTF-8 from the bytes themselves (valid multi-byte sequences), not from a byte order mark. */
  sniffedUtf8 = false;
  /** The text the last {@link FileDecoder.write} returned and, when it was decoded from latin-1, its bytes. */
  lastText = '';
  lastBytes: Buffer | undefined;
  private readonly bomWithLatin1: boolean;
  /** Bytes held back: a byte order mark's start split over the first chunks. */
  private pending: Uint8Array | undefined;
  /** The window from the first non-ASCII byte on, while `auto` waits for it to fill (copies of the chunks). */
  private window: Uint8Array[] | undefined;
  private windowLength = 0;
  private started = false;
  private utf8: TextDecoder | undefined;

  constructor(encoding: FileEncoding = 'auto', options: FileDecoderOptions = {}) {
    this.encoding = encoding === 'auto' ? undefined : encoding;
    this.bomWithLatin1 = options.bomWithLatin1 === true;
  }

  /** Decides from a whole input at once (see {@link wholeFileEncoding}); no effect once an encoding is set. */
  decideWhole(bytes: Uint8Array): void {
    if (this.encoding !== undefined) return;
    this.encoding = wholeFileEncoding(bytes);
    this.sniffedUtf8 = this.encoding === 'utf-8' && !startsWithBom(bytes);
  }

  /** Decodes a chunk (what `auto` holds back to decide comes out once it has decided). */
  write(chunk: Uint8Array): string {
    if (this.window !== undefined) {
      // still filling the window: each chunk copied once, the window joined once
      this.window.push(chunk.slice());
      this.windowLength += chunk.length;
      if (this.windowLength < ENCODING_WINDOW) return '';
      const held = this.takeWindow();
      this.decide(decideFrom(held, false));
      return this.decodeDecided(held);
    }
    let bytes = chunk;
    if (this.pending !== undefined) {
      const joined = new Uint8Array(this.pending.length + chunk.length);
      joined.set(this.pending, 0);
      joined.set(chunk, this.pending.length);
      bytes = joined;
      this.pending = undefined;
    }
    if (!this.started) {
      if (this.encoding === 'latin1' && !this.bomWithLatin1) this.started = true;
      else {
        // a byte order mark, possibly split over the first chunks
        let i = 0;
        while (i < 3 && i < bytes.length && bytes[i] === UTF8_BOM[i]) i++;
        if (i === 3) {
          this.bom = true;
          this.encoding ??= 'utf-8';
          bytes = bytes.subarray(3);
          this.started = true;
        } else if (i === bytes.length) {
          if (i > 0) this.pending = bytes.slice();
          return '';
        } else this.started = true;
      }
    }
    if (this.encoding === undefined) {
      const n = bytes.length;
      let p = 0;
      while (p < n && bytes[p]! < 0x80) p++;
      if (p === n) return this.latin1(bytes);
      if (utf8SequenceLength(bytes[p]!) === 0) this.encoding = 'latin1';
      else if (n - p < ENCODING_WINDOW) {
        // the window is not in yet: hold it back, hand out the ASCII before it
        this.window = [bytes.slice(p)];
        this.windowLength = n - p;
        return this.latin1(bytes.subarray(0, p));
      } else {
        this.decide(decideFrom(bytes.subarray(p), false));
      }
    }
    return this.decodeDecided(bytes);
  }

  private decodeDecided(bytes: Uint8Array): string {
    if (this.encoding === 'latin1') return this.latin1(bytes);
    this.lastBytes = undefined;
    this.lastText = this.decodeUtf8(bytes);
    return this.lastText;
  }

  /** The window's chunks joined, and the window closed. */
  private takeWindow(): Uint8Array {
    const parts = this.window!;
    this.window = undefined;
    if (parts.length === 1) return parts[0]!;
    const out = new Uint8Array(this.windowLength);
    let off = 0;
    for (const part of parts) {
      out.set(part, off);
      off += part.length;
    }
    return out;
  }

  /** Ends the input: what was held back, decoded (a window the input ended within decides by itself). */
  end(): string {
    let out = '';
    if (this.window !== undefined) {
      // the input ended within the window: it decides by itself
      const held = this.takeWindow();
      this.decide(decideFrom(held, true));
      out = this.encoding === 'latin1' ? asBuffer(held).toString('latin1') : this.decodeUtf8(held);
    } else if (this.pending !== undefined) {
      // only the start of a byte order mark: not UTF-8 (unless asked for)
      const rest = this.pending;
      this.pending = undefined;
      this.encoding ??= 'latin1';
      out = this.encoding === 'latin1' ? asBuffer(rest).toString('latin1') : this.decodeUtf8(rest);
    }
    if (this.utf8 !== undefined) out += this.utf8.decode();
    this.encoding ??= 'latin1';
    return out;
  }

  private decide(encoding: 'latin1' | 'utf-8'): void {
    this.encoding = encoding;
    if (encoding === 'utf-8') this.sniffedUtf8 = true;
  }

  /** `bytes` as latin-1 text, remembered with its bytes (one byte per character). */
  private latin1(bytes: Uint8Array): string {
    const b = asBuffer(bytes);
    this.lastBytes = b;
    this.lastText = b.toString('latin1');
    return this.lastText;
  }

  private decodeUtf8(bytes: Uint8Array): string {
    this.utf8 ??= new TextDecoder('utf-8', { ignoreBOM: true });
    return this.utf8.decode(bytes, { stream: true });
  }
}

/**
 * The latin-1 characters a clean text field of a Nordic bank file holds, as a table by character code (1: clean):
 * printable ASCII and the Nordic letters (ÄÅÖäåö ÆØæø Éé Üü Èè). Anything else (control characters, C1 bytes
 * 0x80-0x9F from a CP850 or Windows-1252 file, other latin-1 letters) deserves a closer look. A table, so that a
 * parser's fast path checks a character with one load.
 *
 * @example
 * NORDIC_TEXT['Å'.charCodeAt(0)]; // 1
 * NORDIC_TEXT[0x8f]; // 0 (CP850 'Å' read as latin-1)
 */
export const NORDIC_TEXT: Readonly<Uint8Array> = (() => {
  const t = new Uint8Array(256);
  for (let c = 0x20; c <= 0x7e; c++) t[c] = 1;
  for (const c of [0xc4, 0xc5, 0xd6, 0xe4, 0xe5, 0xf6, 0xc6, 0xd8, 0xe6, 0xf8, 0xc9, 0xe9, 0xdc, 0xfc, 0xc8, 0xe8]) {
    t[c] = 1;
  }
  return t;
})();
