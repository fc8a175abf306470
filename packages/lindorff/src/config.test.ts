import { NordfilError } from '@nordfil/core';
import { describe, expect, it } from 'vitest';
import { definitionInput, setupInput } from '../test/fixtures.js';
import {
  collectionLevel,
  parseExportDefinition,
  parseReminderSetup,
  reminderLevels,
  safeParseExportDefinition,
  safeParseReminderSetup,
} from './config.js';

describe('export definition (Cordel "Oppsett av eksportdefinisjon")', () => {
  it('Cordel: a definition has name, format Lindorff, server, port, user, upload and download folders, SFTP or FTP, password and customer id', () => {
    const { definition, notes } = parseExportDefinition({ ...definitionInput, port: 2222 });
    expect(definition).toMatchObject({
      name: 'Inkasso Lindorff',
      format: 'Lindorff',
      serverAddress: 'sftp.agency.example',
      port: 2222,
      userName: 'creditor42',
      uploadFolder: 'inn',
      downloadFolder: 'ut',
      protocol: 'sftp',
      password: 'hemmelig',
      customerId: '12345',
    });
    expect(notes).toEqual([]);
  });
  it('Quick3: the agency bank account is part of the setup (used to tell its payments apart), checked and kept as digits', () => {
    expect(parseExportDefinition(definitionInput).definition.agencyBankAccount).toBe('15031234562');
    const r = safeParseExportDefinition({ ...definitionInput, agencyBankAccount: '1503.12.34561' });
    expect(r.success).toBe(false);
  });
  it('Cordel: file, test, authentication and SSH public key are "not relevant": accepted and ignored with a note', () => {
    const { definition, notes } = parseExportDefinition({
      ...definitionInput,
      file: 'c:/inkasso.txt',
      test: true,
      authentication: 'password',
      sshPublicKey: 'ssh-ed25519 AAAA',
    });
    expect(notes.map((n) => [n.code, n.field, n.severity])).toEqual([
      ['ignored_field', 'file', 'warning'],
      ['ignored_field', 'test', 'warning'],
      ['ignored_field', 'authentication', 'warning'],
      ['ignored_field', 'sshPublicKey', 'warning'],
    ]);
    expect(definition).not.toHaveProperty('file');
  });
  it('Cordel: SFTP or plain FTP; the port defaults by protocol and plain FTP gets a warning', () => {
    const ftp = parseExportDefinition({ ...definitionInput, sftp: false });
    expect(ftp.definition.protocol).toBe('ftp');
    expect(ftp.definition.port).toBe(21);
    expect(ftp.notes.map((n) => n.code)).toEqual(['plain_ftp']);
    expect(parseExportDefinition(definitionInput).definition.port).toBe(22);
  });
  it('lists every problem at once, with the field', () => {
    const r = safeParseExportDefinition({
      name: '',
      format: 'Visma',
      port: 70000,
      sftp: 'yes',
      uploadFolder: '../x',
      typo: 1,
    });
    expect(r.success).toBe(false);
    if (r.success) return;
    const fields = r.error.issues.map((i) => i.field);
    for (const f of [
      'name',
      'format',
      'serverAddress',
      'port',
      'userName',
      'uploadFolder',
      'downloadFolder',
      'sftp',
      'password',
      'customerId',
      'agencyBankAccount',
    ]) {
      expect(fields).toContain(f);
    }
    expect(r.error.issues.every((i) => i.code === 'invalid_config')).toBe(true);
    expect(r.error.issues.some((i) => i.message.includes('typo'))).toBe(true);
  });
  it('patterns may be configured, and a broken one is refused', () => {
    const ok = parseExportDefinition({
      ...definitionInput,
      patterns: { LS: 'LS_{customerNo}_{yyyyMMdd}{HHmmss}.txt' },
    });
    expect(ok.definition.patterns.LS).toBe('LS_{customerNo}_{yyyyMMdd}{HHmmss}.txt');
    expect(ok.definition.patterns.RD).toBe('RD{customerNo}{yyyyMMdd}{HHmmss}');
    expect(() => parseExportDefinition({ ...definitionInput, patterns: { RD: 'RD{customerNo}' } })).toThrow(
      NordfilError,
    );
  });
});

describe('reminder setup (Quick3 "Purremetode: Lindorff" and "Purreoppsett")', () => {
  it('Quick3: one or two reminders first make Lindorff reminder level 2 or 3', () => {
    expect(collectionLevel({ remindersBeforeCollection: 1 })).toBe(2);
    expect(collectionLevel({ remindersBeforeCollection: 2 })).toBe(3);
    expect(reminderLevels({ remindersBeforeCollection: 2 }).map((l) => l.method)).toEqual(['own', 'own', 'Lindorff']);
  });
  it('Quick3: when Lindorff runs both reminders and collection there is one level, with method Lindorff', () => {
    expect(reminderLevels({ remindersBeforeCollection: 0 })).toEqual([{ level: 1, method: 'Lindorff' }]);
  });
  it('Quick3: the settlement account of the method defaults to the client account', () => {
    expect(parseReminderSetup(setupInput).setup.settlementAccount).toBe('86011117947');
    expect(parseReminderSetup({ ...setupInput, settlementAccount: '1234.56.78903' }).setup.settlementAccount).toBe(
      '12345678903',
    );
  });
  it('fees, deadlines and rates are configuration: every problem is listed', () => {
    const r = safeParseReminderSetup({
      method: 'Purring',
      clientAccount: '1',
      remindersBeforeCollection: 3,
      fees: {
        inkassosats: [],
        reminderFeeFraction: '1/20',
        minDaysAfterDueForFee: -1,
        minNoticeDays: 14,
        transferMinDaysAfterDue: 14,
      },
      interest: {
        rates: [
          { from: '2025-07-01', percent: '12.25' },
          { from: '2025-01-01', percent: '12.50' },
        ],
      },
    });
    expect(r.success).toBe(false);
    if (r.success) return;
    const fields = r.error.issues.map((i) => i.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'method',
        'clientAccount',
        'remindersBeforeCollection',
        'fees.inkassosats',
        'fees.reminderFeeFraction',
        'fees.minDaysAfterDueForFee',
        'interest.rates.1.from',
      ]),
    );
  });
  it('a rate that does not start on 1 January or 1 July gets a warning (contract rates may)', () => {
    const { notes, setup } = parseReminderSetup({
      ...setupInput,
      interest: { rates: [{ from: '2025-03-01', percent: '10' }] },
    });
    expect(notes.map((n) => n.code)).toEqual(['rate_not_half_year']);
    expect(setup.interest.dayCountDivisor).toBe(365);
    expect(setup.varselBy).toBe('agency');
  });
});
