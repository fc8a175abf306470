import { describe, expect, it } from 'vitest';
import {
  createDecoder,
  decode,
  detectNordicMojibake,
  encode,
  isValidUtf8,
  NORDIC_TEXT,
  normalizeEncoding,
} from './encoding.js';
import { NordfilError } from './errors.js';

const bytes = (...b: number[]): Uint8Array => new Uint8Array(b);

describe('normalizeEncoding', () => {
  it('resolves aliases case-insensitively', () => {
    expect(normalizeEncoding('ISO-8859-1')).toBe('latin1');
    expect(normalizeEncoding('utf8')).toBe('utf-8');
    expect(normalizeEncoding('CP850')).toBe('cp850');
  });
  it('rejects unknown encodings with unsupported_encoding', () => {
    expect(() => normalizeEncoding('ebcdic')).toThrow(NordfilError);
    try {
      normalizeEncoding('ebcdic');
    } catch (e) {
      expect((e as NordfilError).code).toBe('unsupported_encoding');
    }
  });
});

describe('decode / encode', () => {
  it('decodes latin-1 one byte per character', () => {
    expect(decode(bytes(0xc5, 0x73, 0x61, 0x20, 0xd6), 'latin1')).toBe('Åsa Ö');
    expect(decode(bytes(0xe5, 0xe4, 0xf6), 'iso-8859-1')).toBe('åäö');
  });
  it('decodes a subarray view without reading outside it', () => {
    const whole = bytes(0x41, 0x42, 0x43, 0x44);
    expect(decode(whole.subarray(1, 3))).toBe('BC');
  });
  it('strips a UTF-8 byte order mark', () => {
    expect(decode(bytes(0xef, 0xbb, 0xbf, 0xc3, 0x85, 0x41), 'utf-8')).toBe('ÅA');
    expect(decode(bytes(0xc3, 0x85), 'utf8')).toBe('Å');
  });
  it('rejects malformed UTF-8 when fatal', () => {
    expect(decode(bytes(0xc5, 0x41), 'utf-8')).toBe('\ufffdA');
    expect(() => decode(bytes(0xc5, 0x41), 'utf-8', { fatal: true })).toThrow(/not valid UTF-8/);
  });
  it('decodes windows-1252 and cp850 through iconv-lite', () => {
    expect(decode(bytes(0x80, 0xe5), 'windows-1252')).toBe('€å');
    expect(decode(bytes(0x86, 0x84, 0x94, 0x8f, 0x8e, 0x99), 'cp850')).toBe('åäöÅÄÖ');
  });
  it('encodes as the inverse of decode', () => {
    expect([...encode('Åsa', 'latin1')]).toEqual([0xc5, 0x73, 0x61]);
    expect([...encode('€', 'windows-1252')]).toEqual([0x80]);
    expect([...encode('å', 'cp850')]).toEqual([0x86]);
    expect([...encode('Å', 'utf-8')]).toEqual([0xc3, 0x85]);
    expect([...encode('A', 'utf-8', { bom: true })]).toEqual([0xef, 0xbb, 0xbf, 0x41]);
  });
  it('refuses characters the encoding cannot hold, or replaces them on request', () => {
    try {
      encode('5 €', 'latin1');
      expect.unreachable();
    } catch (e) {
      expect((e as NordfilError).code).toBe('unencodable_character');
      expect((e as NordfilError).issues[0]?.column).toBe(3);
    }
    expect(() => encode('ł', 'cp850')).toThrow(/cannot be written in cp850/);
    expect(decode(encode('a€b😀', 'latin1', { unencodable: 'replace' }))).toBe('a?b?');
  });
});

describe('createDecoder', () => {
  it('joins a UTF-8 sequence split across chunks and drops the BOM', () => {
    const d = createDecoder('utf-8');
    const out = d.write(bytes(0xef, 0xbb)) + d.write(bytes(0xbf, 0x41, 0xc3)) + d.write(bytes(0x85)) + d.end();
    expect(out).toBe('AÅ');
  });
  it('is stateless for single-byte encodings', () => {
    const d = createDecoder('cp850');
    expect(d.write(bytes(0x86)) + d.write(bytes(0x41)) + d.end()).toBe('åA');
    const l = createDecoder('latin1');
    expect(l.write(bytes(0xe5)) + l.end()).toBe('å');
  });
});

describe('detectNordicMojibake', () => {
  const utf8 = new TextEncoder().encode('Åsa Öberg');
  const latin1 = encode('Åsa Öberg', 'latin1');

  it('finds UTF-8 Nordic letters in bytes declared latin-1', () => {
    const r = detectNordicMojibake(utf8);
    expect(r.likelyUtf8).toBe(true);
    expect(r.count).toBe(2);
    expect(r.validUtf8).toBe(true);
    expect(r.evidence).toEqual([
      { offset: 0, sequence: 'C3 85', char: 'Å', asLatin1: 'Ã\u0085' },
      { offset: 5, sequence: 'C3 96', char: 'Ö', asLatin1: 'Ã\u0096' },
    ]);
    expect(r.invalidLatin1).toEqual({ count: 2, firstOffset: 1 });
  });
  it('reports real latin-1 text as not UTF-8', () => {
    const r = detectNordicMojibake(latin1);
    expect(r.likelyUtf8).toBe(false);
    expect(r.count).toBe(0);
    expect(r.evidence).toEqual([]);
    expect(r.validUtf8).toBe(false);
    expect(r.invalidLatin1).toBeUndefined();
  });
  it('limits the evidence list', () => {
    const many = new TextEncoder().encode('å'.repeat(20));
    const r = detectNordicMojibake(many, { maxEvidence: 3 });
    expect(r.count).toBe(20);
    expect(r.evidence).toHaveLength(3);
  });
  it('isValidUtf8 tells UTF-8 from latin-1', () => {
    expect(isValidUtf8(utf8)).toBe(true);
    expect(isValidUtf8(latin1)).toBe(false);
    expect(isValidUtf8(bytes(0x41))).toBe(true);
  });
});

describe('NORDIC_TEXT', () => {
  it('holds printable ASCII and the Nordic letters, and nothing else', () => {
    const clean = [...'AZaz09 ~!ÄÅÖäåöÆØæøÉéÜüÈè'].map((c) => c.charCodeAt(0));
    for (const c of clean) expect(NORDIC_TEXT[c]).toBe(1);
    for (const c of [0x00, 0x09, 0x1a, 0x1f, 0x7f, 0x80, 0x8f, 0x99, 0x9f, 0xa0, 0xdf, 0xf1, 0xff]) {
      expect(NORDIC_TEXT[c]).toBe(0);
    }
    let n = 0;
    for (let c = 0; c < 256; c++) n += NORDIC_TEXT[c]!;
    expect(n).toBe(95 + 16);
  });
});
