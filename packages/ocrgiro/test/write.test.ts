import { Money, NordfilError } from '@nordfil/core';
import {
  buildOcrGiro,
  type OcrGiroTransaction,
  parseOcrGiro,
  toPayments,
  writeOcrGiro,
  writeOcrGiroChunks,
} from '@nordfil/ocrgiro';
import { describe, expect, test } from 'vitest';
import { fixture, fixtureLines } from './helpers.js';

const one = {
  transmission: { transmissionNumber: '0000123', dataRecipient: '00012345' },
  assignments: [
    {
      account: '12345678903',
      agreementId: '123456789',
      transactions: [
        {
          kid: '12345674',
          amount: '1250.00',
          date: '2025-03-15',
          centreId: '01',
          partialSettlementSerialNumber: '00042',
          archiveReference: '000012345',
          bankDate: '2025-03-14',
          debitAccount: '98765432103',
        },
      ],
    },
  ],
};

describe('buildOcrGiro and writeOcrGiro', () => {
  test('the builder reproduces the reference example (§6) byte for byte', () => {
    const file = buildOcrGiro(one);
    expect(Buffer.from(writeOcrGiro(file)).equals(fixture('reference-example.txt'))).toBe(true);
    expect(file.end).toMatchObject({ count: 1, records: 6, netsDate: '2025-03-15' });
    expect(file.assignments[0]!.end).toMatchObject({ count: 1, records: 4, earliest: '2025-03-15' });
    expect(file.issues).toEqual([]);
  });

  test('numbers assigned, control records derived, negative amounts get sign -', () => {
    const file = buildOcrGiro({
      transmission: { transmissionNumber: '1', dataRecipient: '2', date: '2025-03-20' },
      assignments: [
        {
          account: '12345678903',
          agreementId: '1',
          date: '2025-03-19',
          transactions: [
            { kid: '12345674', amount: '10.00', date: '2025-03-10' },
            { amount: Money.of('-2.50', 'NOK'), date: '2025-03-11', type: '13' },
            { amount: '5.00', date: '2025-03-12', type: '21', freeText: 'hei' },
          ],
        },
        {
          serviceCode: '21',
          account: '12345678903',
          agreementId: '2',
          transactions: [{ kid: '12345674', amount: '99.00', date: '2025-04-01', type: '21', specification: ['x'] }],
        },
      ],
    });
    const lines = Buffer.from(writeOcrGiro(file)).toString('latin1').split('\r\n');
    expect(lines.map((l) => l.slice(6, 8))).toEqual([
      '10',
      '20',
      '30',
      '31',
      '30',
      '31',
      '30',
      '31',
      '32',
      '88',
      '20',
      '30',
      '31',
      '49',
      '49',
      '88',
      '89',
      '',
    ]);
    const txs = file.assignments[0]!.transactions as OcrGiroTransaction[];
    expect(txs.map((t) => [t.number, t.sign, t.amount.toString()])).toEqual([
      [1, '0', '10.00'],
      [2, '-', '-2.50'],
      [3, '0', '5.00'],
    ]);
    // totals add unsigned amounts (reversals and negative signs included, as Nets does)
    expect(lines[9]).toBe(`NY090088000000030000000900000000000001750190325100325120325${'0'.repeat(21)}`);
    expect(lines[16]).toBe(`NY000089000000040000001700000000000011650200325${'0'.repeat(33)}`);
    expect(file.assignments[1]!.assignmentNumber).toBe('0000002');
  });

  test('trailers are derived from the objects, never copied: a wrong parsed total is corrected', () => {
    const f = parseOcrGiro(fixture('bad-88-total.txt'), { mode: 'lenient' });
    expect(Buffer.from(writeOcrGiro(f)).equals(fixture('valid.txt'))).toBe(true);
  });

  test('line endings, final newline, chunks', () => {
    const file = parseOcrGiro(fixture('valid.txt'));
    expect(Buffer.from(writeOcrGiro(file, { lineEnding: '\n' })).equals(fixture('valid-lf.txt'))).toBe(true);
    expect(Buffer.from(writeOcrGiro(file, { lineEnding: '' })).equals(fixture('valid-stream.txt'))).toBe(true);
    const noFinal = Buffer.from(writeOcrGiro(file, { finalNewline: false })).toString('latin1');
    expect(noFinal.endsWith('0000\r\n')).toBe(false);
    expect(Buffer.concat([...writeOcrGiroChunks(file)]).equals(fixture('valid.txt'))).toBe(true);
  });

  test('an edited object is written with its new values and consistent trailers', () => {
    const file = parseOcrGiro(fixture('valid.txt'));
    const a = file.assignments[0]!;
    const txs = a.transactions.slice(1);
    const edited = { ...file, assignments: [{ ...a, transactions: txs }, file.assignments[1]!] };
    const again = parseOcrGiro(writeOcrGiro(edited), { mode: 'lenient' });
    expect(again.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(toPayments(again)).toHaveLength(12);
    expect(again.end?.total.toString()).toBe('7069.50');
  });

  test('values that do not fit are refused with every problem listed', () => {
    expect(() =>
      buildOcrGiro({
        ...one,
        assignments: [
          {
            account: '123',
            agreementId: 'x',
            transactions: [{ kid: 'ABC', amount: '1.00', date: '2025-01-01', freeText: 'a'.repeat(41) }],
          },
        ],
      }),
    ).toThrow(NordfilError);
    expect(() =>
      buildOcrGiro({
        ...one,
        assignments: [{ ...one.assignments[0]!, transactions: [{ amount: '1', date: '2070-01-01' }] }],
      }),
    ).toThrow(/two-digit-year window/);
  });

  test('latin-1 letters in free text are written as single bytes', () => {
    const lines = fixtureLines('valid.txt');
    const file = parseOcrGiro(fixture('valid.txt'));
    const bytes = Buffer.from(writeOcrGiro(file));
    expect(bytes.length).toBe(lines.length * 82);
  });
});
