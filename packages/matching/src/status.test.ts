import { describe, expect, it } from 'vitest';
import { ctx, inv, pay } from '../test/helpers.js';
import {
  applyDecision,
  canTransition,
  decide,
  needsCheck,
  newRecord,
  type PaymentStatus,
  setStatus,
  TRANSITIONS,
} from './index.js';

const AT = '2026-11-23T08:00:00.000Z';

function recordWith(status: PaymentStatus, comment = '') {
  return {
    ...newRecord(pay({ reference: '10017' }), { fileSha256: 'abc', incomingFile: 'BGMAX.txt' }),
    status,
    comment,
  };
}

describe('status machine', () => {
  it('a person may set Retry or Manual on Error', () => {
    expect(setStatus(recordWith('Error', 'No Match'), 'Retry', 'anna', AT).status).toBe('Retry');
    expect(setStatus(recordWith('Error', 'No Match'), 'Manual', 'anna', AT).status).toBe('Manual');
  });

  it('Manual takes a Complete/Amount record off the list; Credit can only go to Manual', () => {
    expect(setStatus(recordWith('Complete', 'Amount'), 'Manual', 'anna', AT).status).toBe('Manual');
    expect(() => setStatus(recordWith('Credit'), 'Retry', 'anna', AT)).toThrow(/illegal_transition|cannot change/);
  });

  it.each([
    ['Complete', 'Retry'],
    ['Manual', 'Retry'],
    ['Manual', 'Manual'],
    ['File Error', 'Retry'],
    ['Retry', 'Retry'],
  ] as const)('refuses %s → %s with illegal_transition', (from, to) => {
    expect(() => setStatus(recordWith(from), to, 'anna', AT)).toThrowError(
      expect.objectContaining({ code: 'illegal_transition' }),
    );
  });

  it('the workflow decides only blank and Retry records', () => {
    const d = decide(pay({ reference: '10017' }), ctx([inv(1001)]));
    expect(applyDecision(recordWith(''), d, { at: AT }).status).toBe('Complete');
    expect(applyDecision(recordWith('Retry'), d, { at: AT }).status).toBe('Complete');
    for (const s of ['Complete', 'Error', 'Credit', 'Manual', 'File Error', 'Ambiguous'] as const) {
      expect(() => applyDecision(recordWith(s), d, { at: AT })).toThrowError(
        expect.objectContaining({ code: 'illegal_transition' }),
      );
    }
  });

  it('no one may move a record to a status outside the table', () => {
    for (const from of Object.keys(TRANSITIONS) as PaymentStatus[]) {
      expect(canTransition(from, '', 'system')).toBe(false);
      expect(canTransition(from, 'File Error', 'person')).toBe(false);
      expect(canTransition(from, 'Complete', 'person')).toBe(false);
    }
  });

  it('every change is kept in the history, with the corrections a person made', () => {
    const r0 = recordWith('Error', 'No Match');
    const r1 = setStatus(r0, 'Retry', 'anna', AT, { corrections: { reference: '10017' }, note: 'typo' });
    // the reference was already 10017: nothing to record as corrected
    expect(r1.history).toEqual([
      { at: AT, actor: 'anna', by: 'person', from: 'Error', to: 'Retry', comment: 'No Match', note: 'typo' },
    ]);
    const r2 = setStatus({ ...r0, reference: '10071' }, 'Retry', 'anna', AT, { corrections: { reference: '10017' } });
    expect(r2.history.at(-1)?.corrections).toEqual({ reference: ['10071', '10017'] });
    expect(r2.payment.reference).toBe('10017');
  });

  it('corrections go only with Retry', () => {
    expect(() =>
      setStatus(recordWith('Error'), 'Manual', 'anna', AT, { corrections: { reference: '1' } }),
    ).toThrowError(expect.objectContaining({ code: 'illegal_correction' }));
  });

  it('the to-check list: Error, Credit, Ambiguous, and Complete with comment Amount', () => {
    expect(needsCheck('Error', 'No Match')).toBe(true);
    expect(needsCheck('Credit', '')).toBe(true);
    expect(needsCheck('Ambiguous', 'Ambiguous')).toBe(true);
    expect(needsCheck('Complete', 'Amount')).toBe(true);
    expect(needsCheck('Complete', '')).toBe(false);
    expect(needsCheck('Manual', 'Amount')).toBe(false);
    expect(needsCheck('Retry', '')).toBe(false);
  });
});
