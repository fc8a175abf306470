import { faultyStorage, memoryStorage, type Storage } from '@nordfil/ports';
import { describe, expect, it } from 'vitest';
import { file, inv, jobContext } from '../test/helpers.js';
import {
  buildInvoiceIndex,
  fileSha256,
  getFileRecord,
  getRecord,
  importPaymentFile,
  markManual,
  paymentFileParser,
  retry,
  toCheck,
} from './index.js';

function setup(storage: Storage = memoryStorage(), invoices = [inv(1001), inv(1002), inv(1003, { open: '2000.00' })]) {
  return { ...jobContext(storage, buildInvoiceIndex(invoices)), storage };
}

const FILE = file('BGMAX_20261123.txt', [
  { reference: '10017', amount: '1000.00' }, // Complete
  { reference: '10025', amount: '995.00' }, // Complete/Amount
  { reference: '99999', amount: '50.00' }, // Error/No Match
  { kind: 'deduction', amount: '500.00', reference: '20' }, // Credit
  { reference: '10033', amount: '1500.00' }, // Error/Amount (500 short): pairs with the deduction
]);

describe('importPaymentFile', () => {
  it('archives the file, keeps a record per payment with every seed field, decides each, and sums up by status', async () => {
    const { ctx, registrar, log, storage } = setup();
    const result = await importPaymentFile(ctx, FILE);
    expect(result.summary).toMatchObject({ Complete: 2, Error: 2, Credit: 1, '': 0 });
    const sha = fileSha256(FILE.bytes);
    expect(await storage.get(`matching/payment-files/${sha}`)).toEqual(FILE.bytes);
    expect((await getFileRecord(storage, sha))?.state).toBe('done');
    const first = await getRecord(storage, 'BGMAX_20261123.txt#3');
    expect(first).toMatchObject({
      incomingFile: 'BGMAX_20261123.txt',
      number: '100003',
      payeeBankAccount: '9912346',
      amount: '1000.00',
      date: '2026-11-23',
      currency: 'SEK',
      reference: '10017',
      deductionType: '',
      additionalReference: '',
      payorName: 'Kund AB',
      informationText: 'Faktura',
      payorOrganizationNumber: '5561234567',
      referenceCode: '3',
      transactionCode: '20',
      status: 'Complete',
      comment: '',
      createdPayment: 'PMT-1',
      account: '1930',
      accountCurrency: 'SEK',
      invoiceId: 'inv-1001',
    });
    expect(first?.decision?.allocations).toEqual([{ invoiceId: 'inv-1001', amount: '1000.00' }]);
    expect(first?.history).toHaveLength(1);
    expect(registrar.registrations.size).toBe(2);
    // the host is given a plain decision: a spread keeps every field
    const given = { ...registrar.calls[0]?.decision };
    expect([given.status, given.invoiceId, given.allocations?.length]).toEqual(['Complete', 'inv-1001', 1]);
    expect(log.codes()).toContain('payment_file_imported');
  });

  it('refuses the same content again with file_already_imported, naming the earlier import', async () => {
    const { ctx, registrar } = setup();
    await importPaymentFile(ctx, FILE);
    await expect(importPaymentFile(ctx, { ...FILE, name: 'again.txt' })).rejects.toThrowError(
      /already imported as "BGMAX_20261123.txt" at 2026-11-23T07:30:00.000Z/,
    );
    await expect(importPaymentFile(ctx, FILE)).rejects.toMatchObject({ code: 'file_already_imported' });
    expect(registrar.calls).toHaveLength(2);
  });

  it('keeps a file that cannot be read with status File Error and its issues', async () => {
    const { ctx, storage, log } = setup();
    const bad = { name: 'broken.txt', bytes: new TextEncoder().encode('01BGMAX garbage') };
    const result = await importPaymentFile(ctx, bad);
    expect(result.file.status).toBe('File Error');
    expect(result.file.issues[0]).toMatchObject({ code: 'invalid_record', source: 'broken.txt' });
    expect((await getFileRecord(storage, fileSha256(bad.bytes)))?.status).toBe('File Error');
    expect(await storage.get(`matching/payment-files/${fileSha256(bad.bytes)}`)).toEqual(bad.bytes);
    expect(log.codes()).toContain('payment_file_error');
    await expect(importPaymentFile(ctx, bad)).rejects.toThrowError(/with status File Error/);
  });

  it('"to check" lists Error, Credit and Complete/Amount; Manual takes a record off the list', async () => {
    const { ctx, storage } = setup();
    await importPaymentFile(ctx, FILE);
    const list = await toCheck(storage);
    expect(list.map((r) => [r.id, r.status, r.comment])).toEqual([
      ['BGMAX_20261123.txt#11', 'Error', 'Amount'],
      ['BGMAX_20261123.txt#5', 'Complete', 'Amount'],
      ['BGMAX_20261123.txt#7', 'Error', 'No Match'],
      ['BGMAX_20261123.txt#9', 'Credit', ''],
    ]);
    await markManual(ctx, { paymentIds: ['BGMAX_20261123.txt#9'], actor: 'anna', comment: 'kreditfaktura 2231' });
    const after = await toCheck(storage);
    expect(after.map((r) => r.id)).not.toContain('BGMAX_20261123.txt#9');
    const manual = await getRecord(storage, 'BGMAX_20261123.txt#9');
    expect(manual).toMatchObject({ status: 'Manual', comment: 'kreditfaktura 2231' });
    expect(manual?.history.map((h) => `${h.from}→${h.to} by ${h.actor}`)).toEqual([
      '→Credit by workflow',
      'Credit→Manual by anna',
    ]);
  });

  it('pairs the deduction with the underpaid payment of the same file, as a suggestion', async () => {
    const { ctx, storage } = setup();
    await importPaymentFile(ctx, FILE);
    const credit = await getRecord(storage, 'BGMAX_20261123.txt#9');
    expect(credit?.decision?.suggestions).toEqual([
      expect.objectContaining({ kind: 'deduction-pair', paymentId: 'BGMAX_20261123.txt#11', invoiceId: 'inv-1003' }),
    ]);
  });

  it('Retry re-decides only the chosen records, after a person corrected the reference', async () => {
    const { ctx, storage, registrar } = setup();
    await importPaymentFile(ctx, FILE);
    const [r] = await retry(ctx, {
      paymentIds: ['BGMAX_20261123.txt#7'],
      actor: 'anna',
      corrections: { 'BGMAX_20261123.txt#7': { reference: 'F-1003' } },
    });
    // 50.00 against 2000.00: still an amount error, but now against the right invoice
    expect(r).toMatchObject({ status: 'Error', comment: 'Amount', invoiceId: 'inv-1003', reference: 'F-1003' });
    expect(r?.history.map((h) => h.to)).toEqual(['Error', 'Retry', 'Error']);
    expect((await getRecord(storage, 'BGMAX_20261123.txt#3'))?.history).toHaveLength(1);
    expect(registrar.calls).toHaveLength(2);
  });

  it('Retry registers a payment that now matches, and refuses Complete records', async () => {
    const { ctx, registrar } = setup();
    await importPaymentFile(ctx, FILE);
    const [r] = await retry(ctx, {
      paymentIds: ['BGMAX_20261123.txt#7'],
      actor: 'anna',
      corrections: { 'BGMAX_20261123.txt#7': { reference: '10017' } },
    });
    expect(r?.status).toBe('Error'); // 50 against 1000 is outside the tolerance
    await expect(retry(ctx, { paymentIds: ['BGMAX_20261123.txt#3'], actor: 'anna' })).rejects.toMatchObject({
      code: 'illegal_transition',
    });
    expect(registrar.calls).toHaveLength(2);
  });

  it('a run that crashed part-way is resumed by importing the same bytes, registering nothing twice', async () => {
    const inner = memoryStorage();
    let failed = false;
    const faulty = faultyStorage(inner, {
      failOn: (op, key) => {
        if (!failed && op === 'put' && key.endsWith('#7')) {
          failed = true;
          return 'after';
        }
        return false;
      },
    });
    const first = setup(faulty);
    await expect(importPaymentFile(first.ctx, FILE)).rejects.toMatchObject({ code: 'injected_fault' });
    const second = { ...first.ctx, storage: inner };
    const result = await importPaymentFile(second, FILE);
    expect(result.summary).toMatchObject({ Complete: 2, Error: 2, Credit: 1 });
    expect(first.registrar.registrations.size).toBe(2);
    expect(first.registrar.calls).toHaveLength(2);
  });

  it('a crash between the host registration and its marker repeats the call with the same idempotency key', async () => {
    const inner = memoryStorage();
    let failed = false;
    const faulty = faultyStorage(inner, {
      failOn: (op, key) => {
        if (!failed && op === 'createIfAbsent' && key.includes('registrations/')) {
          failed = true;
          return 'before';
        }
        return false;
      },
    });
    const first = setup(faulty);
    await expect(importPaymentFile(first.ctx, FILE)).rejects.toMatchObject({ code: 'injected_fault' });
    await importPaymentFile({ ...first.ctx, storage: inner }, FILE);
    expect(first.registrar.registrations.size).toBe(2);
    expect(first.registrar.calls.map((c) => c.idempotencyKey)).toEqual([
      'BGMAX_20261123.txt#3',
      'BGMAX_20261123.txt#3',
      'BGMAX_20261123.txt#5',
    ]);
  });

  it('a crash after registering but before storing the record resumes from the marker, never deciding it again', async () => {
    const inner = memoryStorage();
    let failed = false;
    const faulty = faultyStorage(inner, {
      failOn: (op, key) => {
        if (!failed && op === 'put' && key.endsWith('records/BGMAX_20261123.txt#3')) {
          failed = true;
          return 'before';
        }
        return false;
      },
    });
    const first = setup(faulty);
    await expect(importPaymentFile(first.ctx, FILE)).rejects.toMatchObject({ code: 'injected_fault' });
    expect(first.registrar.calls.map((c) => c.paymentId)).toEqual(['BGMAX_20261123.txt#3']);
    // the host has paid invoice 1001 meanwhile: deciding #3 again would find no open invoice
    const second = setup(inner, [inv(1002), inv(1003, { open: '2000.00' })]);
    const result = await importPaymentFile({ ...second.ctx, registrar: first.registrar }, FILE);
    const r3 = result.records.find((r) => r.id === 'BGMAX_20261123.txt#3');
    expect(r3).toMatchObject({ status: 'Complete', comment: '' });
    expect(r3?.createdPayment).toBeDefined();
    expect(first.registrar.calls.filter((c) => c.paymentId === 'BGMAX_20261123.txt#3')).toHaveLength(1);
  });

  it('refuses a payment id already used by another file (payment_id_conflict) before deciding anything', async () => {
    const { ctx, registrar } = setup();
    await importPaymentFile(ctx, FILE);
    const other = file('BGMAX_20261123.txt', [{ reference: '10017', amount: '1000.00', line: 3 }]);
    await expect(importPaymentFile(ctx, other)).rejects.toMatchObject({ code: 'payment_id_conflict' });
    expect(registrar.calls).toHaveLength(2);
  });

  it('two payments of one file for the same invoice are never both applied', async () => {
    const { ctx, registrar } = setup();
    const dup = file('dup.txt', [
      { reference: '10017', amount: '1000.00' },
      { reference: '10017', amount: '1000.00' },
    ]);
    const result = await importPaymentFile(ctx, dup);
    expect(result.records.map((r) => [r.status, r.comment])).toEqual([
      ['Error', 'Amount'],
      ['Error', 'Amount'],
    ]);
    expect(registrar.calls).toHaveLength(0);
  });
});

describe('importPaymentFile: the file format', () => {
  const enc = (text: string) => new TextEncoder().encode(text);

  it("fills the file record's format from the payments when the bytes are a host's own layout; each record keeps its payment's", async () => {
    const { ctx, storage } = setup();
    const result = await importPaymentFile(ctx, FILE);
    expect(result.file.format).toBe('bgmax');
    expect((await getFileRecord(storage, fileSha256(FILE.bytes)))?.format).toBe('bgmax');
    expect(result.records.map((r) => r.payment.format)).toEqual(['bgmax', 'bgmax', 'bgmax', 'bgmax', 'bgmax']);
  });

  it('fills it from the first record of a recognised file (detectPaymentFormat), read or not', async () => {
    const { ctx, storage } = setup();
    const ocr = { name: 'OCR_20261123.txt', bytes: enc(`NY000010${'0'.repeat(72)}\n`) };
    const read = await importPaymentFile({ ...ctx, parse: paymentFileParser({ ocrgiro: () => [] }) }, ocr);
    expect(read.file).toMatchObject({ status: '', state: 'done', format: 'ocrgiro' });
    expect((await getFileRecord(storage, fileSha256(ocr.bytes)))?.format).toBe('ocrgiro');

    // Total-IN, but no Total-IN parser configured: File Error, and the format is still known
    const totalin = { name: 'TOTALIN.txt', bytes: enc(`00${' '.repeat(34)}TL1${' '.repeat(41)}\n`) };
    const failed = await importPaymentFile({ ...ctx, parse: paymentFileParser({}) }, totalin);
    expect(failed.file).toMatchObject({ status: 'File Error', format: 'totalin' });
    expect(failed.file.issues[0]?.code).toBe('unsupported_format');
    expect((await getFileRecord(storage, fileSha256(totalin.bytes)))?.format).toBe('totalin');
  });

  it('keeps the format of a BGMax file that cannot be read (File Error), and leaves it out when unknown', async () => {
    const { ctx, storage } = setup();
    const bad = await importPaymentFile(ctx, { name: 'broken.txt', bytes: enc('01BGMAX garbage') });
    expect(bad.file).toMatchObject({ status: 'File Error', format: 'bgmax' });
    const unknown = { name: 'notes.txt', bytes: enc('hello') };
    const none = await importPaymentFile({ ...ctx, parse: paymentFileParser({}) }, unknown);
    expect(none.file.status).toBe('File Error');
    expect(none.file.issues[0]?.code).toBe('unknown_format');
    expect('format' in none.file).toBe(false);
    expect('format' in ((await getFileRecord(storage, fileSha256(unknown.bytes))) ?? {})).toBe(false);
  });
});
