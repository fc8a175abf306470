// Plays the agency's side in tests with the default format: receipt and settlement files.
import { type IsoDate, Money } from '@nordfil/core';
import { buildFileName, nordfilCollectionFormat, type Receipt, type Settlement } from '../src/index.js';

export function receiptFile(at: string, receipts: Omit<Receipt, 'id'>[], customerNo = '12345') {
  const name = buildFileName('Kvitt', { customerNo, at: new Date(at) });
  const bytes = nordfilCollectionFormat.encodeReceipts({
    header: { customerNo, createdAt: '2026-11-24T06:00:00', sequence: 1 },
    receipts: receipts.map((r) => ({ ...r, id: '' })),
  });
  return { name, bytes };
}

export function settlementFile(at: string, settlements: Omit<Settlement, 'id'>[], customerNo = '12345') {
  const name = buildFileName('Avsl', { customerNo, at: new Date(at) });
  const bytes = nordfilCollectionFormat.encodeClosures({
    header: { customerNo, createdAt: '2026-11-25T06:00:00', sequence: 1 },
    settlements: settlements.map((s) => ({ ...s, id: '' })),
  });
  return { name, bytes };
}

export function paid(
  caseRef: string,
  agencyRef: string,
  event: Settlement['event'],
  rentenota = '0',
): Omit<Settlement, 'id'> {
  const m = (s: string) => Money.of(s, 'NOK');
  return {
    agencyRef,
    caseRef,
    event,
    eventDate: '2026-11-25' as IsoDate,
    principal: m('1250'),
    interest: m(rentenota),
    fees: m('0'),
    costs: m('0'),
    remitted: m('1250').plus(m(rentenota)),
    rentenota: m(rentenota),
  };
}
