import { fc, test } from '@fast-check/vitest';
import { Money } from '@nordfil/core';
import { describe, expect, it } from 'vitest';
import { claim, d, nok, setup, setupInput } from '../test/fixtures.js';
import { parseReminderSetup } from './config.js';
import { assertTransferable, checkTransfer, maxReminderFee, type SentNotice, standardCompensation } from './rules.js';

const purring: SentNotice = { type: 'purring', sentDate: d('2026-10-01'), deadline: d('2026-10-15'), fee: nok('35') };
const ok = { claim: claim('1001'), notices: [purring], today: d('2026-11-23') };
const codes = (input: Parameters<typeof checkTransfer>[0], s = setup) =>
  checkTransfer(input, s).refusals.map((r) => r.code);
const creditorVarsel = parseReminderSetup({ ...setupInput, varselBy: 'creditor', remindersBeforeCollection: 1 }).setup;

describe('transfer rules (reference §2)', () => {
  it('a sound case may go', () => {
    expect(checkTransfer(ok, setup)).toEqual({ allowed: true, refusals: [] });
    expect(() => assertTransferable(ok, setup)).not.toThrow();
  });
  it('§2: the due date must have passed', () => {
    expect(codes({ ...ok, notices: [], today: d('2026-09-15') }, { ...setup, remindersBeforeCollection: 0 })).toContain(
      'due_date_not_passed',
    );
  });
  it("Quick3 (Intrum): cases go no sooner than 14 days after the due date, the agency's inkassovarsel needs it", () => {
    expect(codes({ ...ok, today: d('2026-09-28') })).toContain('too_soon_after_due_date');
  });
  it('Quick3: with one or two reminders first, they must have been sent and their deadline passed', () => {
    expect(codes({ ...ok, notices: [] })).toContain('reminders_missing');
    expect(codes({ ...ok, today: d('2026-10-10') })).toContain('reminder_deadline_not_passed');
    expect(codes({ ...ok, notices: [] }, { ...setup, remindersBeforeCollection: 0 })).toEqual(['fee_record_mismatch']);
  });
  it('§2 (inkassoforskriften § 1-2): a reminder fee only 14 days after the due date, and at most 1/20 of the inkassosats', () => {
    expect(maxReminderFee(setup, d('2026-10-01'))?.toString()).toBe('35.00');
    expect(codes({ ...ok, notices: [{ ...purring, sentDate: d('2026-09-20') }] })).toContain('fee_too_early');
    expect(codes({ ...ok, notices: [{ ...purring, fee: nok('70') }] })).toContain('fee_above_maximum');
    expect(codes({ ...ok, notices: [{ ...purring, sentDate: d('2026-09-10') }] })).toContain(
      'reminder_before_due_date',
    );
  });
  it("§2 (§ 1-3): fees on at most 2 reminders, or 1 reminder and 1 inkassovarsel; a second fee needs 14 days' notice in the first", () => {
    const second = { ...purring, sentDate: d('2026-10-20'), deadline: d('2026-11-03') };
    const third = { ...purring, sentDate: d('2026-11-05'), deadline: d('2026-11-19') };
    const c3 = claim('1001', { reminders: { feesCharged: nok('105'), feeNoticeCount: 3 } });
    expect(codes({ ...ok, claim: c3, notices: [purring, second, third] })).toContain('fee_cap_exceeded');
    const short = { ...purring, deadline: d('2026-10-08') };
    const c2 = claim('1001', { reminders: { feesCharged: nok('70'), feeNoticeCount: 2 } });
    expect(codes({ ...ok, claim: c2, notices: [short, second] })).toContain('second_fee_without_notice');
  });
  it('§2 (inkassoloven § 9): when the creditor sends the inkassovarsel, it is sent after the due date with at least 14 days to pay, and that deadline has passed', () => {
    expect(codes(ok, creditorVarsel)).toContain('inkassovarsel_missing');
    const varsel: SentNotice = {
      type: 'inkassovarsel',
      sentDate: d('2026-10-20'),
      deadline: d('2026-10-30'),
      fee: nok('0'),
    };
    const got = codes({ ...ok, notices: [purring, varsel], today: d('2026-10-29') }, creditorVarsel);
    expect(got).toEqual(
      expect.arrayContaining(['inkassovarsel_notice_too_short', 'inkassovarsel_deadline_not_passed']),
    );
    const early: SentNotice = { ...varsel, sentDate: d('2026-09-10'), deadline: d('2026-11-10') };
    expect(codes({ ...ok, notices: [purring, early] }, creditorVarsel)).toContain('inkassovarsel_before_due_date');
    const good: SentNotice = { ...varsel, deadline: d('2026-11-03') };
    expect(codes({ ...ok, notices: [purring, good] }, creditorVarsel)).toEqual([]);
  });
  it('§3.3: disputed claims, bad national ids and bad KIDs do not go; the fee record must match the notices', () => {
    const bad = claim('1001', {
      disputed: true,
      debtor: { ...claim('1001').debtor, nationalId: '01010750161' },
      invoice: { ...claim('1001').invoice, kid: '10018' },
      reminders: { feesCharged: nok('0'), feeNoticeCount: 0 },
    });
    expect(codes({ ...ok, claim: bad })).toEqual([
      'claim_disputed',
      'fee_record_mismatch',
      'invalid_national_id',
      'invalid_kid',
    ]);
    expect(codes({ ...ok, claim: bad }, { ...setup, transferDisputed: true })).not.toContain('claim_disputed');
  });
  it('every reason is listed at once, each naming the case', () => {
    try {
      assertTransferable({ ...ok, notices: [], today: d('2026-09-01') }, setup);
      expect.unreachable();
    } catch (e) {
      const issues = (e as { issues: { code: string; message: string }[] }).issues;
      expect(issues.length).toBeGreaterThanOrEqual(3);
      expect(issues.every((i) => i.message.startsWith('case 1001:'))).toBe(true);
    }
  });
});

describe('standard compensation (forsinkelsesrenteloven § 3a, reference §2)', () => {
  // example amounts for the test only: 470 kr from 2025 (reference §2), an older entry to show the table is by date
  const withTable = parseReminderSetup({
    ...setupInput,
    fees: {
      ...setupInput.fees,
      standardCompensation: [
        { from: '2023-01-01', amount: '450' },
        { from: '2025-01-01', amount: '470' },
      ],
    },
  }).setup;

  it('a company or public body owes the amount in force that day, less the reminder fees already charged', () => {
    const r = standardCompensation(withTable, { debtorType: 'F', on: d('2026-02-01'), reminderFeesCharged: nok('35') });
    expect(r.applies).toBe(true);
    expect(r.amount.toString()).toBe('435.00');
    expect(r.full?.toString()).toBe('470.00');
    expect(
      standardCompensation(withTable, { debtorType: 'O', on: d('2024-12-31'), reminderFeesCharged: nok('0') }).amount,
    ).toEqual(nok('450'));
  });

  it('never goes below zero when the reminder fees were higher', () => {
    const r = standardCompensation(withTable, {
      debtorType: 'F',
      on: d('2026-02-01'),
      reminderFeesCharged: nok('500'),
    });
    expect(r.amount.isZero()).toBe(true);
  });

  it('a consumer owes none', () => {
    const r = standardCompensation(withTable, { debtorType: 'P', on: d('2026-02-01'), reminderFeesCharged: nok('35') });
    expect(r).toEqual({ applies: false, amount: nok('0') });
  });

  it('is refused with a typed error without a table, before its first entry, or with fees in another currency', () => {
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as { issues: { code: string }[] }).issues[0]?.code;
      }
      return undefined;
    };
    const input = { debtorType: 'F' as const, on: d('2026-02-01'), reminderFeesCharged: nok('0') };
    expect(code(() => standardCompensation(setup, input))).toBe('compensation_not_configured');
    expect(code(() => standardCompensation(withTable, { ...input, on: d('2022-12-31') }))).toBe(
      'compensation_amount_unknown',
    );
    expect(code(() => standardCompensation(withTable, { ...input, reminderFeesCharged: Money.of('10', 'SEK') }))).toBe(
      'currency_mismatch',
    );
  });

  test.prop([fc.integer({ min: 0, max: 100_000 }), fc.constantFrom('F' as const, 'O' as const)])(
    'is the table amount less the fees, between zero and the table amount, exactly',
    (feeOre, debtorType) => {
      const fees = Money.fromMinor(feeOre, 'NOK');
      const r = standardCompensation(withTable, { debtorType, on: d('2025-06-30'), reminderFeesCharged: fees });
      const expected = Math.max(0, 47_000 - feeOre);
      expect(r.amount.equals(Money.fromMinor(expected, 'NOK'))).toBe(true);
    },
  );
});
