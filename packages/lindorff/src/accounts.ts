/**
 * The digits of a bank account as a payment or attempt carries it (`'1503.12.34562'` → `'15031234562'`; none:
 * `''`), to compare with the agency's account: payment attempts, corrections and settlement checks (internal).
 */
export function accountDigits(account: string | undefined): string {
  return (account ?? '').replace(/\D/g, '');
}
