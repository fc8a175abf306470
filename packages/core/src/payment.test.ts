import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { detectPaymentFormat, paymentId } from './payment.js';

describe('paymentId', () => {
  it('is the file identity, a hash sign and the line', () => {
    expect(paymentId('BGMAX-20261123-9912346', 42)).toBe('BGMAX-20261123-9912346#42');
    expect(paymentId('f', 0)).toBe('f#0');
    expect(paymentId('f', 7)).toBe('f#7');
    expect(paymentId('f', 10)).toBe('f#10');
    expect(paymentId('f', 999_999_999)).toBe('f#999999999');
    expect(paymentId('f', 1_000_000_000)).toBe('f#1000000000');
  });

  test.prop([fc.string(), fc.string(), fc.nat({ max: 2_000_000_000 })])(
    'reads as the template literal for every line, across files in turn',
    (a, b, line) => {
      // alternating identities: the prefix made for one file never leaks into another's ids
      expect(paymentId(a, line)).toBe(`${a}#${line}`);
      expect(paymentId(b, line + 1)).toBe(`${b}#${line + 1}`);
      expect(paymentId(a, line)).toBe(`${a}#${line}`);
    },
  );

  test.prop([fc.string(), fc.oneof(fc.integer(), fc.double(), fc.constantFrom(-0, Number.NaN, 1e21, 0.5))])(
    'reads as the template literal for any number',
    (a, n) => {
      expect(paymentId(a, n)).toBe(`${a}#${n}`);
    },
  );
});

describe('detectPaymentFormat', () => {
  const bgmax = `01BGMAX               0120261123093015123456P${' '.repeat(35)}`;
  const totalin = `00${' '.repeat(34)}TL1${' '.repeat(41)}`;
  const ocr = `NY000010${'0'.repeat(72)}`;

  it('tells the three formats apart from their first record, as text or bytes', () => {
    for (const [head, format] of [
      [bgmax, 'bgmax'],
      [totalin, 'totalin'],
      [ocr, 'ocrgiro'],
      ['05BGMAX', 'unknown'],
      ['', 'unknown'],
    ] as const) {
      expect(detectPaymentFormat(`${head}\r\n`)).toBe(format);
      expect(detectPaymentFormat(Buffer.from(`${head}\n`, 'latin1'))).toBe(format);
    }
  });

  it('looks past a BOM and blank lines before the first record, empty or holding blanks', () => {
    for (const before of ['\r\n', '\n\n', '   \r\n', ' \t \n\r\n', '\r', '\ufeff', '\ufeff  \n']) {
      expect(detectPaymentFormat(before + bgmax)).toBe('bgmax');
      expect(detectPaymentFormat(before + ocr)).toBe('ocrgiro');
    }
    expect(detectPaymentFormat(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`  \r\n${totalin}`)]))).toBe(
      'totalin',
    );
    // blanks that are not a line of their own are part of the record: not a record code
    expect(detectPaymentFormat(`  ${bgmax}`)).toBe('unknown');
  });
});
