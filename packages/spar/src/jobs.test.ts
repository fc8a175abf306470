import type { Borrower } from '@nordfil/patron';
import { faultyStorage, faultyTransport, fixedClock, memoryLog, memoryStorage, memoryTransport } from '@nordfil/ports';
import { describe, expect, test } from 'vitest';
import { borrower, fixture, home, PIN, TODAY, work } from '../test/support.js';
import {
  type BorrowerRepository,
  exportFileName,
  listBatches,
  memoryBorrowerRepository,
  queueNewBorrower,
  queuePersonnummer,
  recordOnlineLookup,
  reportMissingReturns,
  runSparExport,
  runSparImport,
} from './jobs.js';
import { readSparInfile } from './records.js';
import { COMMENT_DECEASED_PREFIX, COMMENT_PROTECTED_IDENTITY } from './rules.js';

const clock = fixedClock('2026-11-23T01:00:00Z');
const config = { customerNumber: '1404', format: 'list' as const, folder: 'out' };
const text = (b: Uint8Array | undefined) => new TextDecoder().decode(b);

describe('export of new borrowers', () => {
  test('queued numbers are written validated, normalised and once; the file is named C1404-000001-spar; then marked sent', async () => {
    const storage = memoryStorage();
    const transport = memoryTransport({ clock });
    const log = memoryLog();
    expect(await queueNewBorrower(storage, borrower(PIN.A), { clock })).toEqual({ queued: true });
    expect(await queueNewBorrower(storage, borrower(PIN.A), { clock })).toEqual({
      queued: false,
      reason: 'already_queued',
    });
    await queuePersonnummer(storage, '19811218-9876', { clock });
    await queuePersonnummer(storage, '811218-9876', { clock }); // the same person, 10 digits
    await queuePersonnummer(storage, '191212121213', { clock }); // wrong check digit
    expect(await queueNewBorrower(storage, borrower(PIN.A, { identities: [] }), { clock })).toMatchObject({
      queued: false,
    });

    const { batch, sent } = await runSparExport({ transport, storage, clock, log, config });
    expect(sent).toEqual([{ file: 'C1404-000001-spar.csv', pins: [PIN.A, PIN.B], resent: false }]);
    expect(text(transport.snapshot()['out/C1404-000001-spar.csv'])).toBe(`${PIN.A},${PIN.B}\n`);
    expect(await storage.list('spar/queue/')).toEqual([]);
    expect(await storage.list('spar/sent/')).toEqual([`spar/sent/${PIN.A}`, `spar/sent/${PIN.B}`]);
    expect(log.filter().map((e) => e.message)).toEqual([
      'Ogiltigt personnummer 19121212-**** skickas inte till SPAR (invalid_check_digit)',
      'Har skickat lista C1404-000001-spar.csv med nya låntagare till SPAR',
    ]);
    expect(batch).toMatchObject({
      kind: 'export',
      status: '?',
      files: ['C1404-000001-spar.csv'],
      counts: { sent: 2, rejected: 1, duplicates: 1 },
    });
  });

  test('the XML form, the next serial, and an empty queue', async () => {
    const storage = memoryStorage();
    const transport = memoryTransport({ clock });
    await queueNewBorrower(storage, borrower(PIN.A), { clock });
    await runSparExport({ transport, storage, clock, log: memoryLog(), config });
    await queueNewBorrower(storage, borrower(PIN.B), { clock });
    const { sent, batch } = await runSparExport({
      transport,
      storage,
      clock,
      log: memoryLog(),
      config: { ...config, format: 'xml' },
    });
    expect(sent[0]!.file).toBe('C1404-000002-spar.xml');
    expect(readSparInfile(text(transport.snapshot()['out/C1404-000002-spar.xml']))).toEqual([PIN.B]);
    expect(batch.status).toBe('OK');
    const empty = await runSparExport({ transport, storage, clock, log: memoryLog(), config });
    expect(empty.sent).toEqual([]);
    expect(empty.batch.log.map((e) => e.code)).toEqual(['nothing_to_export']);
    expect(exportFileName('1404', 243, 'list')).toBe('C1404-000243-spar.csv');
  });

  test('a borrower refreshed online since it was queued is not sent again', async () => {
    const storage = memoryStorage();
    await queueNewBorrower(storage, borrower(PIN.A), { clock });
    await recordOnlineLookup(storage, PIN.A, TODAY);
    const { sent, batch } = await runSparExport({
      transport: memoryTransport({ clock }),
      storage,
      clock,
      log: memoryLog(),
      config,
    });
    expect(sent).toEqual([]);
    expect(batch.counts).toMatchObject({ refreshed_online: 1 });
  });

  test('a failed upload gives status ? and the next run sends the same file under the same name', async () => {
    const storage = memoryStorage();
    const inner = memoryTransport({ clock });
    await queueNewBorrower(storage, borrower(PIN.A), { clock });
    const down = faultyTransport(inner, { failOn: (op) => op === 'write' });
    const first = await runSparExport({ transport: down, storage, clock, log: memoryLog(), config });
    expect(first.batch.status).toBe('?');
    expect(first.batch.log[0]).toMatchObject({ priority: 10, code: 'export_failed' });
    expect(await storage.list('spar/sent/')).toEqual([]);
    await queueNewBorrower(storage, borrower(PIN.B), { clock }); // queued after the failed run
    const second = await runSparExport({ transport: inner, storage, clock, log: memoryLog(), config });
    expect(second.sent).toEqual([
      { file: 'C1404-000001-spar.csv', pins: [PIN.A], resent: true },
      { file: 'C1404-000002-spar.csv', pins: [PIN.B], resent: false },
    ]);
  });

  test('a crash at any step between sending and marking never sends the numbers under a new name', async () => {
    // count the storage steps of a clean run, then crash at each one in turn
    const probe = faultyStorage(memoryStorage(), { failOn: () => false });
    await queueNewBorrower(probe, borrower(PIN.A), { clock });
    await runSparExport({ transport: memoryTransport({ clock }), storage: probe, clock, log: memoryLog(), config });
    const steps = probe.calls.length;
    for (let crashAt = 1; crashAt < steps; crashAt++) {
      for (const when of ['before', 'after'] as const) {
        const storage = memoryStorage();
        const transport = memoryTransport({ clock });
        await queueNewBorrower(storage, borrower(PIN.A), { clock });
        const faulty = faultyStorage(storage, { failOn: (_op, _k, i) => (i === crashAt - 1 ? when : false) });
        try {
          await runSparExport({ transport, storage: faulty, clock, log: memoryLog(), config });
        } catch (e) {
          expect(e).toMatchObject({ code: 'injected_fault' });
        }
        await runSparExport({ transport, storage, clock, log: memoryLog(), config });
        await runSparExport({ transport, storage, clock, log: memoryLog(), config });
        const files = Object.entries(transport.snapshot()).filter(([, v]) => text(v).includes(PIN.A));
        expect(
          files.map(([k]) => k),
          `crash ${when} step ${crashAt}`,
        ).toHaveLength(1);
        expect(await storage.list('spar/sent/')).toEqual([`spar/sent/${PIN.A}`]);
        expect(await storage.list('spar/queue/')).toEqual([]);
      }
    }
  });

  test('an upload that happened but was not acknowledged is re-sent under the same name', async () => {
    const storage = memoryStorage();
    const inner = memoryTransport({ clock });
    await queueNewBorrower(storage, borrower(PIN.A), { clock });
    const lost = faultyTransport(inner, { failOn: (op) => (op === 'write' ? 'after' : false) });
    await runSparExport({ transport: lost, storage, clock, log: memoryLog(), config });
    const again = await runSparExport({ transport: inner, storage, clock, log: memoryLog(), config });
    expect(again.sent.map((s) => s.file)).toEqual(['C1404-000001-spar.csv']);
    expect(Object.keys(inner.snapshot())).toEqual(['out/C1404-000001-spar.csv']);
  });

  test('invalid configuration is refused, every problem at once', async () => {
    await expect(
      runSparExport({
        transport: memoryTransport(),
        storage: memoryStorage(),
        clock,
        log: memoryLog(),
        config: { customerNumber: 'C14', format: 'pdf' as never, folder: '../x' },
      }),
    ).rejects.toMatchObject({ code: 'invalid_config', issues: { length: 3 } });
  });
});

function world(borrowers: Borrower[], files: Record<string, Uint8Array>) {
  return {
    transport: memoryTransport({ clock, files }),
    storage: memoryStorage(),
    borrowers: memoryBorrowerRepository(borrowers),
  };
}
const importConfig = { account: 'lund', folder: 'in' };

describe('import of updates', () => {
  const initial = () => [
    borrower(PIN.A),
    borrower(PIN.B, { addresses: [home('Gamla vägen 2')] }),
    borrower(PIN.C, { addresses: [work('Box 117')] }),
    borrower(PIN.AV),
    borrower(PIN.UV),
    borrower(PIN.GN),
    borrower(PIN.P1, { addresses: [home('Storgatan 1')] }),
  ];
  const files = () => ({
    'in/avi-2021.xml': fixture('avisering-2021.1.xml'),
    'in/dereg.xml': fixture('deregistrations.xml'),
    'in/protected.xml': fixture('protected.xml'),
  });

  test('each file is imported once; a file seen before is skipped and logged; re-import changes nothing', async () => {
    const w = world(initial(), files());
    const log = memoryLog();
    const first = await runSparImport({ ...w, clock, log, config: importConfig });
    expect(first.files.map((f) => f.status)).toEqual(['imported', 'imported', 'imported']);
    const after = JSON.stringify(w.borrowers.all());
    const second = await runSparImport({ ...w, clock, log: memoryLog(), config: importConfig });
    expect(second.files.map((f) => f.status)).toEqual(['skipped', 'skipped', 'skipped']);
    expect(second.batch.log.map((e) => [e.priority, e.code])).toEqual([
      [18, 'file_already_imported'],
      [18, 'file_already_imported'],
      [18, 'file_already_imported'],
    ]);
    // the same content under a new name is the same file
    w.transport.deliver('in/avi-again.xml', fixture('avisering-2021.1.xml'));
    const third = await runSparImport({ ...w, clock, log: memoryLog(), config: importConfig });
    expect(third.files.find((f) => f.name === 'in/avi-again.xml')?.status).toBe('skipped');
    expect(JSON.stringify(w.borrowers.all())).toBe(after);
  });

  test('forcing the same file through again adds no second comment or block', async () => {
    const w = world(initial(), files());
    await runSparImport({ ...w, clock, log: memoryLog(), config: importConfig });
    const after = JSON.stringify(w.borrowers.all());
    const fresh = memoryStorage(); // the record of imported files lost
    await runSparImport({
      ...w,
      storage: fresh,
      clock: fixedClock('2026-12-23T01:00:00Z'),
      log: memoryLog(),
      config: importConfig,
    });
    expect(JSON.stringify(w.borrowers.all())).toBe(after);
    const dead = w.borrowers.get(`b-${PIN.AV}`)!;
    expect(dead.comments.filter((c) => c.text.startsWith(COMMENT_DECEASED_PREFIX))).toHaveLength(1);
    expect(dead.blocks).toHaveLength(1);
  });

  test('the default view (18) shows only file events and problems; 19 shows one info line per person', async () => {
    const w = world(initial(), { 'in/avi-2023.xml': fixture('avisering-2023.1.xml') });
    await w.borrowers.save(borrower(PIN.E));
    await w.borrowers.save(borrower(PIN.N1));
    const log = memoryLog();
    const { batch } = await runSparImport({ ...w, clock, log, config: importConfig });
    expect(batch.status).toBe('OK');
    expect(log.filter().map((e) => e.message)).toEqual(['Har läst in fil in/avi-2023.xml från SPAR: 2 personer']);
    expect(
      log
        .filter(19)
        .filter((e) => e.code === 'person_imported')
        .map((e) => e.message),
    ).toEqual(['Info, har importerat personnummer 19600229-****', 'Info, har importerat personnummer 20010101-****']);
    const full = await runSparImport({
      ...world([borrower(PIN.E)], { 'in/a.xml': fixture('avisering-2023.1.xml') }),
      clock,
      log: memoryLog({ allowPersonalData: true }),
      config: { ...importConfig, logPersonalIds: true },
    });
    expect(full.batch.log.map((e) => e.message)).toContain(`Info, har importerat personnummer ${PIN.E}`);
  });

  test('problems make the batch "?": flags for staff, unreadable files (named with their line)', async () => {
    const w = world([...initial(), borrower(PIN.XX)], {
      'in/broken.xml': fixture('broken.xml'),
      'in/dereg.xml': fixture('deregistrations.xml'),
    });
    const { batch, files } = await runSparImport({ ...w, clock, log: memoryLog(), config: importConfig });
    expect(batch.status).toBe('?');
    expect(files.map((f) => f.status)).toEqual(['invalid', 'imported']);
    expect(batch.log.find((e) => e.code === 'file_invalid')).toMatchObject({
      priority: 10,
      data: { file: 'in/broken.xml', line: 5 },
    });
    expect(batch.log.filter((e) => e.code === 'deregistration_needs_review')).not.toHaveLength(0);
    expect((await listBatches(w.storage)).map((b) => [b.kind, b.status])).toEqual([['import', '?']]);
  });

  test('a dry run gives the full list of changes without applying any', async () => {
    const w = world(initial(), files());
    const before = JSON.stringify(w.borrowers.all());
    const dry = await runSparImport({ ...w, clock, log: memoryLog(), config: importConfig, dryRun: true });
    expect(JSON.stringify(w.borrowers.all())).toBe(before);
    expect(await w.storage.list('')).toEqual([]);
    expect(dry.batch.dryRun).toBe(true);
    const changes = dry.decisions.flatMap((d) => d.actions.map((a) => `${d.borrowerId}:${a.type}`));
    expect(changes).toContain(`b-${PIN.AV}:block`);
    expect(changes).toContain(`b-${PIN.GN}:replace_identity`);
    expect(changes).toContain(`b-${PIN.A}:address`);
    const real = await runSparImport({ ...w, clock, log: memoryLog(), config: importConfig });
    expect(real.decisions.map((d) => d.actions)).toEqual(dry.decisions.map((d) => d.actions));
  });

  test('a save that fails midway: the re-run finishes the file without doubling anything', async () => {
    const w = world(initial(), { 'in/dereg.xml': fixture('deregistrations.xml') });
    let saves = 0;
    const flaky: BorrowerRepository = {
      findByPersonnummer: (pin) => w.borrowers.findByPersonnummer(pin),
      save: async (b) => {
        if (++saves === 2) throw new Error('database went away');
        await w.borrowers.save(b);
      },
    };
    const first = await runSparImport({ ...w, borrowers: flaky, clock, log: memoryLog(), config: importConfig });
    expect(first.files[0]!.status).toBe('incomplete');
    expect(first.batch.status).toBe('?');
    const second = await runSparImport({ ...w, clock, log: memoryLog(), config: importConfig });
    expect(second.files[0]!.status).toBe('imported');
    expect(second.batch.log[0]).toMatchObject({ code: 'file_resumed' });
    for (const b of w.borrowers.all()) {
      expect(new Set(b.comments.map((c) => c.text)).size).toBe(b.comments.length);
      expect(b.blocks.length).toBeLessThanOrEqual(1);
    }
    expect(w.borrowers.get(`b-${PIN.UV}`)!.blocks).toHaveLength(1);
  });

  test('no protected address reaches a log, a batch record, the storage or a borrower', async () => {
    const w = world(initial(), files());
    const log = memoryLog({ allowPersonalData: true });
    const r = await runSparImport({ ...w, clock, log, config: { ...importConfig, logPersonalIds: true } });
    const p1 = w.borrowers.get(`b-${PIN.P1}`)!;
    expect(p1.addresses).toEqual([]);
    expect(p1.comments.map((c) => c.text)).toEqual([COMMENT_PROTECTED_IDENTITY]);
    const stored = await Promise.all((await w.storage.list('')).map(async (k) => text(await w.storage.get(k))));
    const everything = JSON.stringify([log.entries, r, stored, w.borrowers.all()]);
    for (const secret of ['Hemligvägen', 'HEMLIGSTAD', 'Hemligsson']) expect(everything).not.toContain(secret);
  });

  test('numbers exported but never returned are reported', async () => {
    const storage = memoryStorage();
    const transport = memoryTransport({ clock });
    for (const pin of [PIN.A, PIN.E, PIN.D]) await queueNewBorrower(storage, borrower(pin), { clock });
    await runSparExport({ transport, storage, clock, log: memoryLog(), config });
    transport.deliver('in/avi.xml', fixture('avisering-2023.1.xml')); // E comes back; A and D do not
    await runSparImport({
      transport,
      storage,
      clock,
      log: memoryLog(),
      borrowers: memoryBorrowerRepository([borrower(PIN.E)]),
      config: importConfig,
    });
    expect(await reportMissingReturns(storage, { today: TODAY, olderThanDays: 45 })).toEqual([]);
    const later = await reportMissingReturns(storage, { today: '2027-01-15' as never, olderThanDays: 45 });
    expect(later.map((m) => [m.pin, m.file, m.days])).toEqual([
      [PIN.A, 'C1404-000001-spar.csv', 53],
      [PIN.D, 'C1404-000001-spar.csv', 53],
    ]);
  });
});
