/**
 * The checks a correct system makes before a case may go to the agency (reference §2 and §3.3): the due date
 * has passed, reminders (purringer) and their fees follow inkassoforskriften §§ 1-2 and 1-3, the inkassovarsel
 * (inkassoloven § 9) was sent with at least 14 days to pay, the claim is not disputed, and the case data is
 * sound (debtor type, national id, KID). Every refusal is listed, with a stable code; the numbers (14 days,
 * 1/20 of the inkassosats, …) come from the {@link ReminderSetup}, not from code.
 */
import {
  compareDates,
  daysBetween,
  type IsoDate,
  type Issue,
  isFodselsnummer,
  isOrganisasjonsnummer,
  issue,
  Money,
  NordfilError,
  sumMoney,
  validateKid,
} from '@nordfil/core';
import type { ReminderSetup } from './config.js';
import type { CollectionClaim } from './format.js';

/**
 * A notice the creditor sent: a reminder (`purring`) or a collection notice (`inkassovarsel`), with its
 * payment deadline and the fee it charged (zero for none).
 *
 * @example
 * const n: SentNotice = { type: 'purring', sentDate: '2026-10-20' as IsoDate, deadline: '2026-11-03' as IsoDate, fee: Money.of('35', 'NOK') };
 */
export interface SentNotice {
  readonly type: 'purring' | 'inkassovarsel';
  readonly sentDate: IsoDate;
  readonly deadline: IsoDate;
  readonly fee: Money;
}

/**
 * What {@link checkTransfer} looks at.
 *
 * @example
 * const input: TransferCheckInput = { claim, notices: [purring], today: '2026-11-23' as IsoDate };
 */
export interface TransferCheckInput {
  readonly claim: CollectionClaim;
  /** The creditor's notices for this claim, in any order. */
  readonly notices: readonly SentNotice[];
  readonly today: IsoDate;
}

/**
 * The verdict: allowed, or every reason why not.
 *
 * @example
 * const v = checkTransfer(input, setup);
 * if (!v.allowed) v.refusals.map((r) => r.code);
 */
export interface TransferVerdict {
  readonly allowed: boolean;
  readonly refusals: readonly Issue[];
}

/**
 * The inkassosats (the collection rate) in force on a date, from the setup's table.
 *
 * @example
 * inkassosatsOn(setup, '2026-01-10' as IsoDate).toString(); // '700.00'
 */
export function inkassosatsOn(setup: Pick<ReminderSetup, 'fees'>, date: IsoDate, currency = 'NOK'): Money | undefined {
  let found: string | undefined;
  for (const e of setup.fees.inkassosats) if (compareDates(e.from, date) <= 0) found = e.amount;
  return found === undefined ? undefined : Money.of(found, currency);
}

/**
 * The highest reminder fee (purregebyr) on a date: the fraction (1/20) of the inkassosats, rounded to øre.
 *
 * @example
 * maxReminderFee(setup, '2026-01-10' as IsoDate)?.toString(); // '35.00'
 */
export function maxReminderFee(setup: Pick<ReminderSetup, 'fees'>, date: IsoDate, currency = 'NOK'): Money | undefined {
  return inkassosatsOn(setup, date, currency)?.times(setup.fees.reminderFeeFraction, { rounding: 'half-up' });
}

/**
 * What {@link standardCompensation} needs.
 *
 * @example
 * const input: CompensationInput = { debtorType: 'F', on: '2026-02-01' as IsoDate, reminderFeesCharged: Money.of('35', 'NOK') };
 */
export interface CompensationInput {
  /** `P` person (consumer), `F` company, `O` public body, as in the case file. */
  readonly debtorType: 'P' | 'F' | 'O';
  /** The day the compensation is claimed: the amount in force that day applies. */
  readonly on: IsoDate;
  /** Reminder fees already charged for the claim: they are deducted from the compensation. */
  readonly reminderFeesCharged: Money;
}

/**
 * The standard compensation of forsinkelsesrenteloven § 3a (reference §2): owed only by a business or a public
 * body, in the amount the setup's table has in force on the day (470 kr from 1 January 2025), less the reminder
 * fees already charged, never below zero. A consumer (`P`) owes none: the result is zero with `applies: false`.
 * Throws `compensation_not_configured` when the setup has no table and `compensation_amount_unknown` for a day
 * before its first entry; a fee in another currency throws `currency_mismatch`.
 *
 * @example
 * standardCompensation(setup, { debtorType: 'F', on: '2026-02-01' as IsoDate, reminderFeesCharged: Money.of('35', 'NOK') }).amount.toString(); // '435.00'
 * standardCompensation(setup, { debtorType: 'P', on: '2026-02-01' as IsoDate, reminderFeesCharged: Money.zero('NOK') }).applies; // false
 */
export function standardCompensation(
  setup: Pick<ReminderSetup, 'fees'>,
  input: CompensationInput,
): { readonly applies: boolean; readonly amount: Money; readonly full?: Money } {
  const table = setup.fees.standardCompensation;
  const currency = input.reminderFeesCharged.currency;
  if (input.debtorType === 'P') return { applies: false, amount: Money.zero(currency) };
  if (table === undefined) {
    throw new NordfilError(
      issue('compensation_not_configured', 'the reminder setup has no fees.standardCompensation table', {
        field: 'fees.standardCompensation',
      }),
    );
  }
  let found: string | undefined;
  for (const e of table) if (compareDates(e.from, input.on) <= 0) found = e.amount;
  if (found === undefined) {
    throw new NordfilError(
      issue(
        'compensation_amount_unknown',
        `no standard compensation amount in force on ${input.on} (the table starts ${table[0]?.from})`,
        { field: 'fees.standardCompensation', actual: input.on },
      ),
    );
  }
  const full = Money.of(found, 'NOK');
  const rest = full.minus(input.reminderFeesCharged);
  return { applies: true, amount: rest.isNegative() ? Money.zero(full.currency) : rest, full };
}

/**
 * Checks whether a case may be sent to the agency. Codes:
 * `due_date_not_passed`, `too_soon_after_due_date`, `claim_disputed`, `nothing_outstanding`,
 * `reminders_missing`, `reminder_before_due_date`, `reminder_deadline_not_passed`, `fee_too_early`,
 * `fee_above_maximum`, `fee_cap_exceeded`, `second_fee_without_notice`, `fee_record_mismatch`,
 * `inkassovarsel_missing`, `inkassovarsel_before_due_date`, `inkassovarsel_notice_too_short`,
 * `inkassovarsel_deadline_not_passed`, `invalid_national_id`, `invalid_kid`, `invalid_debtor_type`.
 *
 * @example
 * checkTransfer({ claim, notices: [], today: claim.invoice.dueDate }, setup).refusals[0]?.code; // 'due_date_not_passed'
 */
export function checkTransfer(input: TransferCheckInput, setup: ReminderSetup): TransferVerdict {
  const { claim, today } = input;
  const due = claim.invoice.dueDate;
  const f = setup.fees;
  const cur = claim.invoice.originalPrincipal.currency;
  const refusals: Issue[] = [];
  const refuse = (code: string, message: string, extra: Partial<Issue> = {}) =>
    refusals.push(issue(code, `case ${claim.caseRef}: ${message}`, { field: claim.caseRef, ...extra }));
  const notices = [...input.notices].sort((a, b) => compareDates(a.sentDate, b.sentDate));
  const reminders = notices.filter((n) => n.type === 'purring');
  const varsler = notices.filter((n) => n.type === 'inkassovarsel');

  // due date and timing
  if (compareDates(today, due) <= 0)
    refuse('due_date_not_passed', `the due date ${due} has not passed`, { expected: `after ${due}`, actual: today });
  else if (daysBetween(due, today) < f.transferMinDaysAfterDue) {
    refuse(
      'too_soon_after_due_date',
      `only ${daysBetween(due, today)} days after the due date ${due}; the agency needs ${f.transferMinDaysAfterDue}`,
      {
        expected: String(f.transferMinDaysAfterDue),
        actual: String(daysBetween(due, today)),
      },
    );
  }
  if (claim.disputed && !setup.transferDisputed)
    refuse('claim_disputed', 'the debtor disputes the claim (bestridt); settle the dispute first');
  if (!claim.invoice.outstandingPrincipal.isPositive()) refuse('nothing_outstanding', 'nothing is outstanding');

  // reminders (purringer)
  if (reminders.length < setup.remindersBeforeCollection) {
    refuse(
      'reminders_missing',
      `${setup.remindersBeforeCollection} reminder(s) come before collection, ${reminders.length} sent`,
      {
        expected: String(setup.remindersBeforeCollection),
        actual: String(reminders.length),
      },
    );
  }
  const lastReminder = reminders[reminders.length - 1];
  if (
    setup.remindersBeforeCollection > 0 &&
    lastReminder !== undefined &&
    compareDates(today, lastReminder.deadline) <= 0
  ) {
    refuse('reminder_deadline_not_passed', `the last reminder's deadline ${lastReminder.deadline} has not passed`);
  }
  for (const n of notices) {
    if (n.type === 'purring' && compareDates(n.sentDate, due) <= 0)
      refuse('reminder_before_due_date', `a reminder was sent ${n.sentDate}, not after the due date ${due}`);
    if (n.fee.isPositive()) {
      if (daysBetween(due, n.sentDate) < f.minDaysAfterDueForFee) {
        refuse(
          'fee_too_early',
          `a fee was charged on a ${n.type} sent ${n.sentDate}, less than ${f.minDaysAfterDueForFee} days after the due date ${due}`,
        );
      }
      const max = maxReminderFee(setup, n.sentDate, n.fee.currency);
      if (max === undefined || n.fee.greaterThan(max)) {
        refuse(
          'fee_above_maximum',
          `the ${n.type} fee ${n.fee} of ${n.sentDate} is above the maximum ${max ?? '(no inkassosats for that date)'}`,
        );
      }
    }
  }
  // inkassoforskriften § 1-3: 2 reminders + 1 betalingsoppfordring, or 1 reminder + 1 inkassovarsel + 1 betalingsoppfordring
  const feeBearing = notices.filter((n) => n.fee.isPositive());
  const reminderFees = feeBearing.filter((n) => n.type === 'purring').length;
  const varselFees = feeBearing.filter((n) => n.type === 'inkassovarsel').length;
  if (reminderFees > 2 || varselFees > 1 || (varselFees === 1 && reminderFees > 1)) {
    refuse(
      'fee_cap_exceeded',
      `fees on ${reminderFees} reminder(s) and ${varselFees} inkassovarsel: at most 2 reminders, or 1 reminder and 1 inkassovarsel (§ 1-3)`,
    );
  }
  const [firstFee, secondFee] = feeBearing;
  if (
    firstFee !== undefined &&
    secondFee !== undefined &&
    daysBetween(firstFee.sentDate, firstFee.deadline) < f.minNoticeDays
  ) {
    refuse(
      'second_fee_without_notice',
      `a second fee needs a first notice with at least ${f.minNoticeDays} days to pay; the ${firstFee.type} of ${firstFee.sentDate} gave ${daysBetween(firstFee.sentDate, firstFee.deadline)}`,
    );
  }
  const feeSum = sumMoney(
    notices.map((n) => n.fee),
    cur,
  );
  if (!feeSum.equals(claim.reminders.feesCharged) || feeBearing.length !== claim.reminders.feeNoticeCount) {
    refuse(
      'fee_record_mismatch',
      `the case says ${claim.reminders.feeNoticeCount} fee-bearing notice(s) and ${claim.reminders.feesCharged} in fees; the notices say ${feeBearing.length} and ${feeSum}`,
    );
  }

  // inkassovarsel (inkassoloven § 9): the creditor sends it unless the agency does
  if (setup.varselBy === 'creditor') {
    const v = varsler[varsler.length - 1];
    if (v === undefined)
      refuse('inkassovarsel_missing', 'no inkassovarsel was sent; it is required before collection (inkassoloven § 9)');
    else {
      if (compareDates(v.sentDate, due) <= 0)
        refuse(
          'inkassovarsel_before_due_date',
          `the inkassovarsel of ${v.sentDate} was not sent after the due date ${due}`,
        );
      if (daysBetween(v.sentDate, v.deadline) < f.minNoticeDays) {
        refuse(
          'inkassovarsel_notice_too_short',
          `the inkassovarsel of ${v.sentDate} gave ${daysBetween(v.sentDate, v.deadline)} days to pay; at least ${f.minNoticeDays}`,
        );
      }
      if (compareDates(today, v.deadline) <= 0)
        refuse('inkassovarsel_deadline_not_passed', `the inkassovarsel deadline ${v.deadline} has not passed`);
    }
  }

  // case data (reference §3.3)
  const d = claim.debtor;
  if (!['P', 'F', 'O'].includes(d.type)) refuse('invalid_debtor_type', `debtor type "${d.type}" is not P, F or O`);
  if (d.nationalId !== undefined) {
    const ok = d.type === 'P' ? isFodselsnummer(d.nationalId) : isOrganisasjonsnummer(d.nationalId);
    if (!ok)
      refuse('invalid_national_id', `${d.type === 'P' ? 'fødselsnummer' : 'organisasjonsnummer'} fails its check`, {
        field: `${claim.caseRef}.debtor.nationalId`,
      });
  }
  if (claim.invoice.kid !== undefined && !validateKid(claim.invoice.kid).valid) {
    refuse('invalid_kid', `KID ${claim.invoice.kid} fails both the MOD10 and MOD11 checks`, {
      actual: claim.invoice.kid,
    });
  }
  return { allowed: refusals.length === 0, refusals };
}

/**
 * {@link checkTransfer} that throws one NordfilError listing every refusal.
 *
 * @example
 * assertTransferable(input, setup); // throws unless the case may go
 */
export function assertTransferable(input: TransferCheckInput, setup: ReminderSetup): void {
  const v = checkTransfer(input, setup);
  if (!v.allowed) throw new NordfilError(v.refusals);
}
