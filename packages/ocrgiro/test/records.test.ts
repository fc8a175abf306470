import { NordfilError } from '@nordfil/core';
import {
  codecForLine,
  formatOcrGiroRecord,
  ocrGiroCodecs,
  parseOcrGiroRecords,
  writeOcrGiroRecords,
} from '@nordfil/ocrgiro/records';
import { describe, expect, test } from 'vitest';
import { fixture, fixtureLines, withCode } from './helpers.js';

// the synthetic example of reference §6, line by line
const REF = fixtureLines('reference-example.txt');
const codecs = ocrGiroCodecs();

describe('record layouts (reference §2)', () => {
  test('10 transmission start', () => {
    const { record, issues } = codecs.transmissionStart.read(REF[0]!);
    expect(issues).toEqual([]);
    expect(record).toMatchObject({
      formatCode: 'NY',
      serviceCode: '00',
      recordType: '10',
      dataTransmitter: '00008080',
      transmissionNumber: '0000123',
      dataRecipient: '00012345',
      filler32: '',
    });
    expect(codecs.transmissionStart.write(record)).toBe(REF[0]);
  });

  test('20 assignment start', () => {
    const { record, issues } = codecs.assignmentStart.read(REF[1]!);
    expect(issues).toEqual([]);
    expect(record).toMatchObject({
      serviceCode: '09',
      assignmentType: '00',
      agreementId: '123456789',
      assignmentNumber: '0000001',
      account: '12345678903',
    });
    expect(codecs.assignmentStart.write(record)).toBe(REF[1]);
  });

  test('30 amount item 1: positions 9-80', () => {
    const { record, issues } = codecs.item1.read(REF[2]!);
    expect(issues).toEqual([]);
    expect(record).toMatchObject({
      transactionType: '10',
      transactionNumber: '0000001',
      netsDate: '2025-03-15',
      centreId: '01',
      dayCode: '15',
      partialSettlementNumber: '1',
      partialSettlementSerialNumber: '00042',
      sign: '0',
      amount: 125000n,
      kid: '12345674',
      cardIssuer: '00',
      filler77: '',
    });
    expect(codecs.item1.write(record)).toBe(REF[2]);
  });

  test('31 amount item 2, with the opaque filler at 35-41', () => {
    const { record, issues } = codecs.item2.read(REF[3]!);
    expect(issues).toEqual([]);
    expect(record).toMatchObject({
      formNumber: '0000000000',
      archiveReference: '000012345',
      filler35: '0000000',
      bankDate: '2025-03-14',
      debitAccount: '98765432103',
    });
    const withData = `${REF[3]!.slice(0, 34)}0023100${REF[3]!.slice(41)}`;
    const r2 = codecs.item2.read(withData);
    expect(r2.issues).toEqual([]); // Nets' own sample has data here: no warning
    expect(r2.record.filler35).toBe('0023100');
    expect(codecs.item2.write(r2.record)).toBe(withData);
  });

  test('32 amount item 3: 40 characters of free text (latin-1 letters kept)', () => {
    const line = `NY092132000001${'3'}${'Kjøp i nettbutikk ÆØÅ'.padEnd(40)}${'0'.repeat(25)}`;
    expect(line).toHaveLength(80);
    const { record, issues } = codecs.item3.read(line);
    expect(issues).toEqual([]);
    expect(record).toMatchObject({
      transactionType: '21',
      transactionNumber: '0000013',
      freeText: 'Kjøp i nettbutikk ÆØÅ',
    });
    expect(codecs.item3.write(record)).toBe(line);
  });

  test('88 assignment end and 89 transmission end', () => {
    const e88 = codecs.assignmentEnd.read(REF[4]!);
    expect(e88.issues).toEqual([]);
    expect(e88.record).toMatchObject({
      transactionCount: '00000001',
      recordCount: '00000004',
      total: 125000n,
      date1: '2025-03-15',
      date2: '2025-03-15',
      date3: '2025-03-15',
    });
    const e89 = codecs.transmissionEnd.read(REF[5]!);
    expect(e89.issues).toEqual([]);
    expect(e89.record).toMatchObject({
      transactionCount: '00000001',
      recordCount: '00000006',
      total: 125000n,
      netsDate: '2025-03-15',
    });
    expect(codecs.assignmentEnd.write(e88.record)).toBe(REF[4]);
    expect(codecs.transmissionEnd.write(e89.record)).toBe(REF[5]);
  });

  test('AvtaleGiro 30/31/49 layouts (service 21)', () => {
    const lines = fixtureLines('valid.txt').filter((l) => l.startsWith('NY21'));
    const i1 = codecs.avtaleGiroItem1.read(lines[1]!);
    expect(i1.issues).toEqual([]);
    expect(i1.record).toMatchObject({
      transactionType: '02',
      dueDate: '2025-04-20',
      amount: 49900n,
      kid: '0001234567897',
    });
    const i2 = codecs.avtaleGiroItem2.read(lines[2]!);
    expect(i2.record).toMatchObject({ payerName: 'NORDMANN', externalReference: 'FAKTURA 1001' });
    const spec = codecs.specification.read(lines[5]!);
    expect(spec.issues).toEqual([]);
    expect(spec.record).toMatchObject({ lineNumber: '001', column: '1', text: 'Faktura 1002, strøm mars' });
    for (const [codec, line] of [
      [codecs.avtaleGiroItem1, lines[1]],
      [codecs.avtaleGiroItem2, lines[2]],
      [codecs.specification, lines[5]],
    ] as const) {
      expect((codec.write as (r: unknown) => string)(codec.read(line!).record)).toBe(line);
    }
  });

  test('70 AvtaleGiro agreement', () => {
    const line = `NY2194700000001${'1'}${'12345674'.padStart(25)}J${'0'.repeat(38)}`;
    const { record, issues } = codecs.agreement.read(line);
    expect(issues).toEqual([]);
    expect(record).toMatchObject({ registrationType: '1', kid: '12345674', notify: 'J' });
    expect(codecs.agreement.write(record)).toBe(line);
  });

  test('dispatch on record type (7-8) and service (3-4)', () => {
    expect(codecForLine(codecs, REF[2]!)).toBe(codecs.item1);
    expect(codecForLine(codecs, `NY210230${'0'.repeat(72)}`)).toBe(codecs.avtaleGiroItem1);
    expect(codecForLine(codecs, `NY090099${'0'.repeat(72)}`)).toBeUndefined();
  });

  test('dates use the documented pivot: 1970-2069 by default, configurable', () => {
    const line = `${REF[5]!.slice(0, 41)}010169${REF[5]!.slice(47)}`;
    expect(ocrGiroCodecs().transmissionEnd.read(line).record.netsDate).toBe('2069-01-01');
    expect(ocrGiroCodecs(69).transmissionEnd.read(line).record.netsDate).toBe('1969-01-01');
  });

  test('17-digit amounts beyond 2^53 stay exact (bigint)', () => {
    const line = `${REF[5]!.slice(0, 24)}99999999999999999${REF[5]!.slice(41)}`;
    expect(codecs.transmissionEnd.read(line).record.total).toBe(99999999999999999n);
  });
});

describe('parseOcrGiroRecords / writeOcrGiroRecords', () => {
  test('every fixture is written back byte for byte', () => {
    for (const name of ['valid.txt', 'valid-lf.txt', 'valid-stream.txt', 'reference-example.txt', 'truncated.txt']) {
      const bytes = fixture(name);
      const { records } = parseOcrGiroRecords(bytes, { mode: 'lenient' });
      expect(Buffer.from(writeOcrGiroRecords(records)).equals(bytes), name).toBe(true);
    }
  });

  test('records carry line numbers, raw text and terminators', () => {
    const { records, issues } = parseOcrGiroRecords(fixture('reference-example.txt'));
    expect(issues).toEqual([]);
    expect(records.map((r) => r.recordType)).toEqual(['10', '20', '30', '31', '88', '89']);
    expect(records[2]).toMatchObject({ line: 3, raw: REF[2], terminator: '\r\n' });
  });

  test('a changed record is written in canonical form; a built one too', () => {
    const { records } = parseOcrGiroRecords(fixture('reference-example.txt'));
    const r = records[2]!;
    if (r.recordType !== '30' || r.serviceCode !== '09') throw new Error('expected item 1');
    r.amount = 1n;
    expect(formatOcrGiroRecord(r)).toBe(`${REF[2]!.slice(0, 32)}00000000000000001${REF[2]!.slice(49)}`);
    expect(
      formatOcrGiroRecord({
        recordType: '89',
        serviceCode: '00',
        transactionCount: '00000001',
        recordCount: '00000006',
        total: 125000n,
        netsDate: '2025-03-15' as never,
      }),
    ).toBe(REF[5]);
  });

  test('short lines (trailing blanks stripped) and blank lines round-trip; warnings name the line', () => {
    const text = `${REF[0]}\r\n\r\n${REF[1]}\r\n${REF[2]!.slice(0, 74).padEnd(80).trimEnd()}\r\n`;
    const { records, issues } = parseOcrGiroRecords(text, { mode: 'lenient' });
    expect(withCode(issues, 'blank_line')[0]).toMatchObject({ line: 2, severity: 'warning' });
    expect(withCode(issues, 'record_length')[0]).toMatchObject({ line: 4, severity: 'warning', actual: '74' });
    expect(Buffer.from(writeOcrGiroRecords(records)).toString('latin1')).toBe(text);
  });

  test('line-level issues: invalid_record, unknown_record, tab, record_length error', () => {
    const lines = [
      `XY${REF[0]!.slice(2)}`,
      `NY0900AB${'0'.repeat(72)}`,
      `NY090099${'0'.repeat(72)}`,
      `NY000010\t${REF[0]!.slice(16)}`,
      `${REF[0]}EXTRA`,
    ];
    const { records, issues } = parseOcrGiroRecords(lines.join('\n'), { mode: 'lenient' });
    expect(records.map((r) => r.recordType)).toEqual(['unknown', 'unknown', 'unknown', '10', '10']);
    expect(withCode(issues, 'invalid_record').map((i) => [i.line, i.column])).toEqual([
      [1, 1],
      [2, 7],
    ]);
    expect(withCode(issues, 'unknown_record')[0]).toMatchObject({ line: 3, column: 7, severity: 'warning' });
    expect(withCode(issues, 'tab')[0]).toMatchObject({ line: 4, severity: 'warning' });
    expect(withCode(issues, 'record_length')[0]).toMatchObject({ line: 5, column: 81, severity: 'error' });
    expect(() => parseOcrGiroRecords(lines.join('\n'))).toThrow(NordfilError);
  });

  test('field issues carry line, column, record and field', () => {
    const bad = `${REF[2]!.slice(0, 32)}0000000000012O000${REF[2]!.slice(49)}`;
    const { issues } = parseOcrGiroRecords(bad, { mode: 'lenient' });
    expect(issues.find((i) => i.code === 'invalid_amount')).toMatchObject({
      line: 1,
      column: 33,
      record: '30',
      field: 'amount',
      text: bad,
    });
  });

  test('the writer refuses values that do not fit, listing every one', () => {
    try {
      writeOcrGiroRecords([
        {
          recordType: '10',
          serviceCode: '00',
          dataTransmitter: 'ABC',
          transmissionNumber: '123456789',
          dataRecipient: '1',
        },
      ]);
      expect.unreachable();
    } catch (e) {
      expect(NordfilError.is(e)).toBe(true);
      expect((e as NordfilError).issues.map((i) => i.field)).toEqual(['dataTransmitter', 'transmissionNumber']);
    }
  });
});
