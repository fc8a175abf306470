import { decode, Money, NordfilError } from '@nordfil/core';
import { describe, expect, it } from 'vitest';
import { claim, d, header, nok } from '../test/fixtures.js';
import { nordfilCollectionFormat as fmt } from './format.js';
import { CASE_LINE, CLAIM_LINE, readTrailer } from './records.js';

const text = (b: Uint8Array, enc: 'latin1' | 'utf-8' = 'latin1') => decode(b, enc);
const codes = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    if (NordfilError.is(e)) return e.issues.map((i) => i.code);
    throw e;
  }
  return [];
};

describe("the default format is ours, not the agency's", () => {
  it("the codec says it is nordfil's own format and never claims to be Lindorff's", () => {
    expect(fmt.id).toBe('nordfil-erp-coll-1');
    expect(fmt.description).toMatch(/own/);
    expect(fmt.description).toMatch(/not the agency/);
  });
});

describe('LS: new cases', () => {
  const cases = [
    claim('1001'),
    claim('1002', { debtor: { ...claim('1002').debtor, type: 'F', nationalId: '923609016', name: 'Æøå Bygg AS' } }),
  ];
  it('writes a header, a C line per case with its L lines, and a trailer with counts and control sums', () => {
    const lines = text(fmt.encodeCases({ header, cases })).split('\r\n');
    expect(lines[0]).toBe('H;ERP-COLL;1;LS;12345;;20261123060000;1;latin1');
    expect(lines[1]?.startsWith('C;1001;K1001;P;01010750160;;Kari Nordmann;')).toBe(true);
    expect(lines[2]).toBe('L;1001;INV;20260901;125000;Faktura');
    // C sums original + outstanding + fees: 125000 + 125000 + 3500, twice; L: 125000 twice
    expect(lines[5]).toBe('T;6;C;2;507000;L;2;250000');
    expect(lines[6]).toBe('');
  });
  it('reads back the same cases (latin-1 with Norwegian letters, and UTF-8)', () => {
    for (const encoding of ['latin1', 'utf-8'] as const) {
      const bytes = fmt.encodeCases({ header, cases }, { encoding, lineEnding: '\n' });
      const back = fmt.decodeCases(bytes, { source: 'LS' });
      expect(back.header).toEqual(header);
      expect(JSON.stringify(back.cases)).toBe(JSON.stringify(cases));
    }
  });
  it('a case carries the fields the agency needs: debtor type, national id, KID, interest basis, fees so far, disputed flag', () => {
    const names = CASE_LINE.fields.map((f) => f.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'debtorType',
        'nationalId',
        'kid',
        'interestFrom',
        'interestBasis',
        'feesCharged',
        'feeNoticeCount',
        'disputed',
      ]),
    );
  });
  it('refuses text with the separator or a line break, and mixed currencies, listing every problem', () => {
    const bad = claim('1003', { text: 'a;b', debtor: { ...claim('1003').debtor, name: 'x\ny' } });
    expect(codes(() => fmt.encodeCases({ header, cases: [bad] }))).toEqual(['invalid_field', 'invalid_field']);
    const mixed = claim('1004', { lines: [{ type: 'PAY', date: d('2026-09-20'), amount: Money.of('-5', 'SEK') }] });
    expect(codes(() => fmt.encodeCases({ header, cases: [mixed] }))).toEqual(['currency_mismatch']);
    expect(codes(() => fmt.encodeCases({ header, cases: [claim('1'), claim('1')] }))).toEqual(['duplicate_case']);
  });
  it('refuses a file whose trailer does not match its lines', () => {
    const good = text(fmt.encodeCases({ header, cases }));
    const tampered = good.replace('L;1001;INV;20260901;125000', 'L;1001;INV;20260901;125001');
    expect(codes(() => fmt.decodeCases(Buffer.from(tampered, 'latin1')))).toEqual(['control_total_mismatch']);
    const dropped = good
      .split('\r\n')
      .filter((l) => !l.startsWith('L;1002'))
      .join('\r\n');
    expect(codes(() => fmt.decodeCases(Buffer.from(dropped, 'latin1')))).toEqual([
      'control_total_mismatch',
      'control_total_mismatch',
    ]);
  });
  it('refuses a file of another kind, a truncated file and an unknown record, quoting the line', () => {
    const rd = fmt.encodeCorrections({ header, corrections: [] });
    expect(codes(() => fmt.decodeCases(rd))).toEqual(['wrong_file_kind']);
    expect(codes(() => fmt.decodeCases(Buffer.from('H;ERP-COLL;1;LS;1;;20261123060000;1;latin1\n')))).toEqual([
      'truncated_file',
    ]);
    try {
      fmt.decodeCases(Buffer.from('H;ERP-COLL;1;LS;1;;20261123060000;1;latin1\nX;1\nT;3;C;0;0;L;0;0\n'), {
        source: 'f',
      });
    } catch (e) {
      expect(NordfilError.is(e) && e.issues[0]).toMatchObject({
        code: 'unexpected_record',
        source: 'f',
        line: 2,
        text: 'X;1',
      });
    }
  });
});

describe('RD, Kvitt and Avsl files', () => {
  it('RD: corrections round-trip, reductions negative', () => {
    const corrections = [
      {
        id: 'OCR.1#4',
        caseRef: '1001',
        agencyRef: 'L-77',
        kind: 'PAY' as const,
        amount: nok('-500'),
        valueDate: d('2026-11-20'),
        kid: '10017',
        source: 'OCR' as const,
        sourceRef: 'OCR.1:4',
      },
      {
        id: 'KN-1',
        caseRef: '1002',
        kind: 'CRN' as const,
        amount: nok('-100'),
        valueDate: d('2026-11-21'),
        source: 'MAN' as const,
      },
    ];
    const bytes = fmt.encodeCorrections({ header, corrections });
    expect(text(bytes).split('\r\n').at(-2)).toBe('T;4;D;2;-60000');
    expect(JSON.stringify(fmt.decodeCorrections(bytes).corrections)).toBe(JSON.stringify(corrections));
  });
  it('Kvitt: each line gives the agency reference, or the rejection and its reason; ids are file#line', () => {
    const receipts = [
      { id: 'x', caseRef: '1001', agencyRef: 'L-77', status: 'accepted' as const, registeredDate: d('2026-11-24') },
      {
        id: 'y',
        caseRef: '1002',
        status: 'rejected' as const,
        reasonCode: 'E12',
        reasonText: 'Ukjent adresse',
        registeredDate: d('2026-11-24'),
      },
    ];
    const back = fmt.decodeReceipts(fmt.encodeReceipts({ header, receipts }), {
      source: 'Kvitt_K12345_20261124060000',
    });
    expect(back.receipts).toEqual([
      { ...receipts[0], id: 'Kvitt_K12345_20261124060000#2' },
      { ...receipts[1], id: 'Kvitt_K12345_20261124060000#3' },
    ]);
  });
  it('Kvitt: an accepted line without an agency reference is refused', () => {
    const bytes = Buffer.from('H;ERP-COLL;1;KV;12345;;20261124060000;1;latin1\nK;1001;;OK;;;20261124\nT;3;K;1;0\n');
    expect(codes(() => fmt.decodeReceipts(bytes))).toEqual(['missing_agency_reference']);
  });
  it('Avsl: settlements round-trip with principal, interest, fees, costs, remitted and the rentenota amount', () => {
    const settlements = [
      {
        id: 'a',
        agencyRef: 'L-77',
        caseRef: '1001',
        event: 'OPPG' as const,
        eventDate: d('2026-12-01'),
        principal: nok('1250'),
        interest: nok('57.30'),
        fees: nok('35'),
        costs: nok('700'),
        remitted: nok('1342.30'),
        rentenota: nok('57.30'),
        settlementRef: 'R-1',
      },
    ];
    const back = fmt.decodeClosures(fmt.encodeClosures({ header, settlements }), { source: 'Avsl' });
    expect(JSON.stringify(back.settlements)).toBe(JSON.stringify([{ ...settlements[0], id: 'Avsl#2' }]));
  });
});

describe('records', () => {
  it('one declaration reads and writes a line, and writing a read line gives it back', () => {
    const line = 'L;1001;PAY;20260920;-5000;innbetalt før overføring';
    const r = CLAIM_LINE.read(line, { line: 3 });
    expect(r.record).toMatchObject({ caseRef: '1001', lineType: 'PAY', amount: -5000n, line: 3, raw: line });
    expect(CLAIM_LINE.write(r.record!).text).toBe(line);
  });
  it('reports each bad field with its name, and a wrong field count', () => {
    expect(CLAIM_LINE.read('L;1001;XXX;2026092;1.5;').issues.map((i) => i.field)).toEqual([
      'lineType',
      'date',
      'amount',
    ]);
    expect(CLAIM_LINE.read('L;1001').issues[0]?.code).toBe('wrong_field_count');
  });
  it('reads a trailer', () => {
    expect(readTrailer('T;4;D;2;-60000').record).toEqual({ total: 4, totals: [{ type: 'D', count: 2, sum: -60000n }] });
    expect(readTrailer('T;x').issues[0]?.code).toBe('invalid_trailer');
  });
});
