/**
 * The seed's customer-payment table (AVF – Customer Payment File) as data: one {@link PaymentRecord} per
 * payment, with every field of the table, its status, comment, decision, created payment and history. The
 * functions here are pure; the jobs in `register.ts` store records through the Storage port.
 */
import { issue, Money, NordfilError, type Payment } from '@nordfil/core';
import type { Decision } from './decide.js';
import { assertTransition, type PaymentStatus } from './status.js';

/**
 * `T` as it looks after `JSON.stringify`: Money becomes its decimal string.
 *
 * @example
 * const d: Jsonified<Decision> = JSON.parse(JSON.stringify(decision));
 */
export type Jsonified<T> = T extends Money
  ? string
  : T extends readonly (infer U)[]
    ? readonly Jsonified<U>[]
    : T extends object
      ? { readonly [K in keyof T]: Jsonified<T[K]> }
      : T;

/**
 * A payment as stored (amounts as decimal strings).
 *
 * @example
 * const stored: PaymentJson = toPaymentJson(payment);
 */
export type PaymentJson = Jsonified<Payment>;

/**
 * A decision as stored (amounts as decimal strings).
 *
 * @example
 * record.decision?.evidence.rule; // 'within_tolerance'
 */
export type StoredDecision = Jsonified<Decision>;

/**
 * One change of a record, kept for ever: who, when, from which status to which, and why.
 *
 * @example
 * const h: HistoryEntry = { at: '2026-11-23T08:00:00.000Z', actor: 'workflow', by: 'system', from: '', to: 'Complete', comment: '' };
 */
export interface HistoryEntry {
  readonly at: string;
  readonly actor: string;
  readonly by: 'system' | 'person';
  readonly from: PaymentStatus;
  readonly to: PaymentStatus;
  readonly comment: string;
  readonly note?: string;
  readonly configVersion?: string;
  readonly createdPayment?: string;
  /** Reference corrections a person made before a Retry: field → [before, after]. */
  readonly corrections?: Readonly<Record<string, readonly [string, string]>>;
}

/**
 * One row of the seed's customer-payment table, plus what the workflow adds. The first block is the seed's
 * fields, with the seed's names in the doc comments.
 *
 * @example
 * const open = records.filter((r) => needsCheck(r.status, r.comment));
 */
export interface PaymentRecord {
  /** The payment's deterministic id (the storage key). */
  readonly id: string;
  /** sha256 of the file it came from. */
  readonly fileSha256: string;
  /** Incoming File: the name of the uploaded file. */
  readonly incomingFile: string;
  /** Number: the payment's serial number in the file (BGC serial number). */
  readonly number: string;
  /** Payee Bank Account: the receiving account number. */
  readonly payeeBankAccount: string;
  /** Amount, as a decimal string (negative for a deduction). */
  readonly amount: string;
  /** Date (payment date). */
  readonly date: string;
  /** Currency. */
  readonly currency: string;
  /** Reference, as the payer gave it. */
  readonly reference: string;
  /** Deduction Type (avdragskod). */
  readonly deductionType: string;
  /** Additional Reference: the first extra reference (all of them are in `payment.extraReferences`). */
  readonly additionalReference: string;
  /** Payor Name. */
  readonly payorName: string;
  /** Information text: the messages, one per line. */
  readonly informationText: string;
  /** Payor Organization Number. */
  readonly payorOrganizationNumber: string;
  /** Reference Code (BGMax col 56). */
  readonly referenceCode: string;
  /** Transaction Code: 20, 21, 25… */
  readonly transactionCode: string;
  /** Status (see PaymentStatus). */
  readonly status: PaymentStatus;
  /** Comment: set by the workflow (the seed's codes) or by a person (free text). */
  readonly comment: string;
  /** Created Payment: the host's id of the payment it registered. */
  readonly createdPayment?: string;
  /** Account: the ledger account the payment is booked to. */
  readonly account?: string;
  /** Account Currency: the ledger account's currency. */
  readonly accountCurrency?: string;
  /** The invoice the latest decision is about. */
  readonly invoiceId?: string;
  /** The latest decision, with its evidence. */
  readonly decision?: StoredDecision;
  /** The payment as parsed (with a person's corrections), what a Retry decides again. */
  readonly payment: PaymentJson;
  readonly history: readonly HistoryEntry[];
  /**
   * How many times the record was changed since it was created: `0` for a fresh record, one more with every
   * status change ({@link setStatus}, {@link applyDecision}). The register compares it before writing, so a
   * change made by someone else since the record was loaded is refused (`concurrent_update`) instead of being
   * overwritten. Records stored before this field existed have none and count as `0` (see {@link revisionOf}).
   *
   * @example
   * const loaded = await getRecord(storage, id);
   * loaded?.revision; // 2: created (0), decided Error (1), set to Retry by a person (2)
   */
  readonly revision: number;
}

/**
 * A record's {@link PaymentRecord.revision}, `0` for a record stored before revisions were kept.
 *
 * @example
 * revisionOf(await getRecord(storage, id)); // 0 for an old record
 */
export function revisionOf(record: { readonly revision?: number } | undefined): number {
  const r = record?.revision;
  return typeof r === 'number' && Number.isSafeInteger(r) && r >= 0 ? r : 0;
}

/**
 * The JSON form of a payment (Money as decimal strings).
 *
 * @example
 * toPaymentJson(payment).amount; // '1250.00'
 */
export function toPaymentJson(p: Payment): PaymentJson {
  return JSON.parse(JSON.stringify(p)) as PaymentJson;
}

/**
 * A payment back from its JSON form.
 *
 * @example
 * fromPaymentJson(toPaymentJson(p)).amount.equals(p.amount); // true
 */
export function fromPaymentJson(j: PaymentJson): Payment {
  return {
    ...(j as unknown as Payment),
    amount: Money.of(j.amount, j.currency),
    extraReferences: j.extraReferences.map((e) => ({ ...e, amount: Money.of(e.amount, j.currency) })),
  } as Payment;
}

/**
 * A fresh record for a payment: every seed field filled from the payment, status blank (unprocessed).
 *
 * @example
 * const r = newRecord(payment, { fileSha256: sha, incomingFile: 'BGMAX.txt' });
 * r.status; // ''
 */
export function newRecord(payment: Payment, file: { fileSha256: string; incomingFile: string }): PaymentRecord {
  const json = toPaymentJson(payment);
  return {
    id: payment.id,
    fileSha256: file.fileSha256,
    incomingFile: file.incomingFile,
    number: payment.serialNumber ?? '',
    payeeBankAccount: payment.receivingAccount.number,
    amount: json.amount,
    date: payment.date,
    currency: payment.currency,
    reference: payment.reference ?? '',
    deductionType: payment.deductionCode ?? '',
    additionalReference: payment.extraReferences[0]?.reference ?? '',
    payorName: payment.payer.name ?? '',
    informationText: payment.messages.join('\n'),
    payorOrganizationNumber: payment.payer.organisationNumber ?? '',
    referenceCode: payment.referenceCode ?? '',
    transactionCode: payment.transactionCode,
    status: '',
    comment: '',
    payment: json,
    history: [],
    revision: 0,
  };
}

/**
 * The workflow applies a decision (a `system` transition from blank or Retry): status, comment, account,
 * invoice, the decision itself and, when registered, the created payment; the change goes into the history.
 * Throws `illegal_transition` from any other status, and `payment_mismatch` for another payment's decision.
 *
 * @example
 * const next = applyDecision(record, decision, { at: clock.now().toISOString(), createdPayment: 'PMT-17' });
 */
export function applyDecision(
  record: PaymentRecord,
  decision: Decision,
  options: { readonly at: string; readonly actor?: string; readonly createdPayment?: string },
): PaymentRecord {
  if (decision.paymentId !== record.id) {
    throw new NordfilError(
      issue('payment_mismatch', `decision for ${decision.paymentId} applied to record ${record.id}`, {
        expected: record.id,
        actual: decision.paymentId,
      }),
    );
  }
  assertTransition(record.status, decision.status, 'system', record.id);
  const entry: HistoryEntry = {
    at: options.at,
    actor: options.actor ?? 'workflow',
    by: 'system',
    from: record.status,
    to: decision.status,
    comment: decision.comment,
    configVersion: decision.configVersion,
    ...(options.createdPayment === undefined ? {} : { createdPayment: options.createdPayment }),
  };
  const { createdPayment: _c, account: _a, accountCurrency: _ac, invoiceId: _i, ...rest } = record;
  return {
    ...rest,
    status: decision.status,
    comment: decision.comment,
    ...(options.createdPayment === undefined ? {} : { createdPayment: options.createdPayment }),
    ...(decision.ledgerAccount === undefined
      ? {}
      : { account: decision.ledgerAccount.ledgerAccount, accountCurrency: decision.ledgerAccount.currency }),
    ...(decision.invoiceId === undefined ? {} : { invoiceId: decision.invoiceId }),
    decision: JSON.parse(JSON.stringify(decision)) as StoredDecision,
    history: [...record.history, entry],
    revision: revisionOf(record) + 1,
  };
}

/**
 * Corrections a person may make before a Retry (the seed: "efter att felaktiga data har korrigerats"): the
 * references the payment is matched on.
 *
 * @example
 * const c: RecordCorrections = { reference: '655969' };
 */
export interface RecordCorrections {
  readonly reference?: string;
  readonly additionalReference?: string;
}

/**
 * A person sets `Retry` or `Manual` (the only statuses people set), optionally with a comment (free text, as
 * the seed advises "för framtida referens") and, for Retry, corrected references. Refuses every transition
 * {@link TRANSITIONS} does not allow with NordfilError `illegal_transition`. Pure: returns the new record.
 *
 * @example
 * const retried = setStatus(record, 'Retry', 'anna', '2026-11-23T09:00:00Z', { corrections: { reference: '655969' } });
 * const done = setStatus(record, 'Manual', 'anna', '2026-11-23T09:00:00Z', { comment: 'booked by hand, ver 4711' });
 */
export function setStatus(
  record: PaymentRecord,
  to: 'Retry' | 'Manual',
  actor: string,
  at: string,
  options: { readonly comment?: string; readonly note?: string; readonly corrections?: RecordCorrections } = {},
): PaymentRecord {
  assertTransition(record.status, to, 'person', record.id);
  if (options.corrections !== undefined && to !== 'Retry') {
    throw new NordfilError(
      issue('illegal_correction', `references can be corrected only with Retry (payment ${record.id})`, {
        field: record.id,
      }),
    );
  }
  const changes: Record<string, readonly [string, string]> = {};
  let payment = record.payment;
  let reference = record.reference;
  let additionalReference = record.additionalReference;
  const c = options.corrections;
  if (c?.reference !== undefined && c.reference !== record.reference) {
    changes.reference = [record.reference, c.reference];
    reference = c.reference;
    payment = { ...payment, reference: c.reference };
  }
  if (c?.additionalReference !== undefined && c.additionalReference !== record.additionalReference) {
    changes.additionalReference = [record.additionalReference, c.additionalReference];
    additionalReference = c.additionalReference;
    const [first, ...others] = payment.extraReferences;
    const corrected = {
      ...(first ?? { amount: Money.zero(payment.currency).toJSON(), referenceKind: 'unchecked' as const, line: 0 }),
      reference: c.additionalReference,
    };
    payment = { ...payment, extraReferences: [corrected, ...others] };
  }
  const comment = options.comment ?? record.comment;
  const entry: HistoryEntry = {
    at,
    actor,
    by: 'person',
    from: record.status,
    to,
    comment,
    ...(options.note === undefined ? {} : { note: options.note }),
    ...(Object.keys(changes).length === 0 ? {} : { corrections: changes }),
  };
  return {
    ...record,
    status: to,
    comment,
    reference,
    additionalReference,
    payment,
    history: [...record.history, entry],
    revision: revisionOf(record) + 1,
  };
}
