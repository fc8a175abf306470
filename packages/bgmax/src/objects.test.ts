import {
  type BgmaxFile,
  type BgmaxSection,
  bgmaxFileIdentity,
  parseBgmax,
  readBgmax,
  referenceKindOf,
  toPayments,
  toRecords,
  writeBgmax,
  writeBgmaxChunks,
} from '@nordfil/bgmax';
import { type IsoDate, Money, NordfilError } from '@nordfil/core';
import { describe, expect, it } from 'vitest';
import { fixture, fixtureText, insertLine, pad } from '../test/support.js';

const file = parseBgmax(fixture('valid-basic.txt'), { source: 'valid-basic.txt' });

describe('toPayments: the shared Payment model (seed 003 fields)', () => {
  const payments = toPayments(file);

  it('one payment per TK20 and TK21, deductions negative', () => {
    expect(payments.map((p) => [p.kind, p.transactionCode, p.amount.toString(), p.currency])).toEqual([
      ['payment', '20', '1000.00', 'SEK'],
      ['payment', '20', '2500.50', 'SEK'],
      ['deduction', '21', '-200.00', 'SEK'],
      ['payment', '20', '500.00', 'SEK'],
    ]);
  });

  it('maps every field of the customer-payment table', () => {
    expect(payments[0]).toMatchObject({
      id: 'bgmax:20261123093015123456:P#3', // Number (deterministic)
      format: 'bgmax',
      receivingAccount: { kind: 'bankgiro', number: '9912346' }, // Payee Bank Account
      date: '2026-11-23', // Date: the TK15 payment date
      reference: '65599', // Reference
      referenceKind: 'ocr',
      referenceCode: '2', // Reference Code
      messages: ['Faktura 65599 och 65600'], // Information text (trimmed)
      payer: {
        name: 'Kalles Plåt AB', // Payor Name
        extraName: 'Avd. Ekonomi',
        street: 'Storgatan 2',
        postalCode: '12345',
        town: 'STORÅKER',
        organisationNumber: '005500001234', // Payor Organization Number
        bankgiro: '3783511',
      },
      serialNumber: '000120000018',
      channel: '1',
      source: { file: 'valid-basic.txt', line: 3, section: 1 }, // Incoming File
    });
    expect(payments[0]!.extraReferences).toEqual([
      { reference: '65600', amount: Money.zero('SEK'), referenceCode: '2', referenceKind: 'ocr', line: 4 }, // Additional Reference
    ]);
    expect(payments[2]).toMatchObject({ deductionCode: '1', kind: 'deduction' }); // Deduction Type
    expect(payments[1]).toMatchObject({
      reference: 'Faktura 12 och 13',
      referenceKind: 'unchecked',
      referenceCode: '3',
    });
    expect(payments[1]!.payer).toEqual({});
    expect(payments[3]).toMatchObject({
      referenceKind: 'structured',
      payer: { country: 'NORGE', countryCode: 'NO', town: 'OSLO' },
    });
    expect(payments[3]!.extraReferences[0]!.amount.toString()).toBe('-100.00');
  });

  it('ids are stable and take an explicit file identity', () => {
    expect(toPayments(parseBgmax(fixture('valid-basic.txt'))).map((p) => p.id)).toEqual(payments.map((p) => p.id));
    expect(toPayments(file, { fileIdentity: 'F1' })[0]!.id).toBe('F1#3');
    expect(parseBgmax(fixture('valid-basic.txt'), { fileIdentity: 'F2' }).fileIdentity).toBe('F2');
    expect(bgmaxFileIdentity({ header: { ...file.header!, test: true } })).toBe('bgmax:20261123093015123456:T');
  });

  it('reference codes map to reference kinds (S1 table 5)', () => {
    expect(['0', '1', '2', '3', '4', '5'].map(referenceKindOf)).toEqual([
      'none',
      'none',
      'ocr',
      'unchecked',
      'structured',
      'incorrect',
    ]);
  });

  it('an unclosed section (lenient) is dated by the file timestamp', () => {
    const { file: f } = parseBgmax(fixture('broken-unclosed.txt'), { mode: 'lenient' });
    const p = toPayments(f);
    expect(p).toHaveLength(4);
    expect(p[0]!.date).toBe('2026-11-23');
  });
});

describe('toRecords: control records derived from the objects', () => {
  it('derives TK15 and TK70 from the items', () => {
    const records = toRecords(file);
    expect(records.at(-1)).toEqual({ type: '70', payments: '3', deductions: '1', extraReferences: '2', deposits: '2' });
    expect(records[11]).toMatchObject({ type: '15', amount: 330050n, count: '3', currency: 'SEK' });
  });

  it('an added payment changes the derived totals', () => {
    const s = file.sections[0]!;
    const extra = { ...s.items[1]!, amount: Money.of('99.50', 'SEK'), line: undefined };
    const changed: BgmaxFile = { ...file, sections: [{ ...s, items: [...s.items, extra] }, file.sections[1]!] };
    const text = Buffer.from(writeBgmax(changed)).toString('latin1');
    const again = parseBgmax(text);
    expect(again.sections[0]!.deposit!.amount!.toString()).toBe('3400.00');
    expect(again.sections[0]!.deposit!.count).toBe(4);
    expect(again.trailer).toMatchObject({ payments: 4 });
  });

  it('refuses a section without deposit details, a negative total and a header-less file', () => {
    const s = file.sections[0]!;
    expect(() => toRecords({ ...file, sections: [{ ...s, deposit: undefined }] })).toThrow(NordfilError);
    const negative: BgmaxSection = { ...s, items: [{ ...s.items[2]! }] };
    expect(() => toRecords({ ...file, sections: [negative] })).toThrowError(/negative|exceed/);
    expect(() => toRecords({ sections: [] })).toThrowError(/header/);
  });

  it('refuses a payment with a negative amount', () => {
    const s = file.sections[0]!;
    const bad: BgmaxSection = { ...s, items: [{ ...s.items[0]!, amount: Money.of('-1', 'SEK') }] };
    expect(() => toRecords({ ...file, sections: [bad] })).toThrow(NordfilError);
  });
});

describe('writeBgmax', () => {
  for (const name of [
    'valid-basic.txt',
    'valid-stream.txt',
    'valid-lf.txt',
    'valid-quirks.txt',
    'valid-autogiro.txt',
  ]) {
    it(`writes ${name} back byte for byte`, () => {
      const bytes = fixture(name);
      expect(Buffer.from(writeBgmax(parseBgmax(bytes))).equals(Buffer.from(bytes))).toBe(true);
    });
  }

  it('writes a changed quirky file in canonical form', () => {
    const f = parseBgmax(fixture('valid-quirks.txt'));
    const s = f.sections[0]!;
    const changed: BgmaxFile = {
      ...f,
      sections: [{ ...s, items: [{ ...s.items[0]!, name: 'Nytt AB' }] }, f.sections[1]!],
    };
    const lines = Buffer.from(writeBgmax(changed)).toString('latin1').split('\r\n');
    expect(lines[0]).toBe(pad('01BGMAX               0120040525173035010331P'));
    expect(lines[2]!.slice(0, 12)).toBe('200009701233');
    expect(lines.every((l) => l.length === 80 || l === '')).toBe(true);
  });

  it('takes the layout from options (LF, no separators, UTF-8 with BOM)', () => {
    const text = fixtureText('valid-basic.txt');
    expect(Buffer.from(writeBgmax(file, { lineEnding: '\n' })).toString('latin1')).toBe(text.replaceAll('\r\n', '\n'));
    expect(Buffer.from(writeBgmax(file, { lineEnding: '' })).toString('latin1')).toBe(text.replaceAll('\r\n', ''));
    const utf8 = writeBgmax(file, { encoding: 'utf-8', bom: true });
    expect([...utf8.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(parseBgmax(utf8).sections[0]!.items[0]!.town).toBe('STORÅKER');
  });

  it('writeBgmaxChunks writes the same bytes piece by piece, from a generator of sections', () => {
    function* sections() {
      yield* file.sections;
    }
    const parts = [...writeBgmaxChunks({ header: file.header, sections: sections() })];
    expect(parts.length).toBe(4);
    expect(Buffer.concat(parts).equals(Buffer.from(fixture('valid-basic.txt')))).toBe(true);
  });

  it('builds a file from objects made in code', () => {
    const built: BgmaxFile = {
      header: { layoutName: 'BGMAX', layoutVersion: '01', timestamp: '20261124060000000000', test: true },
      sections: [
        {
          bankgiro: '0009912346',
          currency: 'SEK',
          items: [
            {
              kind: 'payment',
              senderBankgiro: '0000000000',
              reference: '1234567890',
              amount: Money.of('150', 'SEK'),
              referenceCode: '2',
              channel: '1',
              serialNumber: '000000000001',
              imageFlag: '0',
              extraReferences: [],
              informationTexts: [],
            },
          ],
          deposit: {
            bankAccount: { clearing: '5841', account: '1009823' },
            paymentDate: '2026-11-24' as IsoDate,
            serialNumber: '00001',
            currency: 'SEK',
            depositType: '',
          },
        },
      ],
    };
    const again = parseBgmax(writeBgmax(built));
    expect(again.header?.test).toBe(true);
    expect(toPayments(again)[0]).toMatchObject({ reference: '1234567890', referenceKind: 'ocr', date: '2026-11-24' });
  });
});

describe('repeated child records', () => {
  it('keeps every information text in order, read whole or streamed in any chunking', async () => {
    // valid-basic.txt: line 5 is the first payment's TK25; add four more after it (five in all)
    let text = fixtureText('valid-basic.txt');
    for (let k = 4; k >= 1; k--) text = insertLine(text, 6, pad(`25Text nummer ${k}`));
    const expected = [' Faktura 65599 och 65600', 'Text nummer 1', 'Text nummer 2', 'Text nummer 3', 'Text nummer 4'];
    const file = parseBgmax(text);
    expect(file.sections[0]!.items[0]!.informationTexts).toEqual(expected);
    expect(toPayments(file)[0]!.messages).toEqual(expected.map((t) => t.trim()));
    const bytes = Buffer.from(text, 'latin1');
    for (const size of [7, 80, 1000]) {
      const sections: BgmaxSection[] = [];
      const chunks = Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) =>
        bytes.subarray(i * size, (i + 1) * size),
      );
      for await (const s of readBgmax(chunks)) sections.push(s);
      expect(sections[0]!.items[0]!.informationTexts).toEqual(expected);
    }
  });
});
