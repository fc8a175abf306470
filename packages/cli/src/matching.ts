/**
 * The CLI's wiring of `@nordfil/matching`: loading it (with a readable error when it is missing) and its
 * payment-file parser with the real format packages (`@nordfil/bgmax`, `@nordfil/totalin`, `@nordfil/ocrgiro`),
 * each loaded only when a file of its format is read.
 */
import type { PaymentFileParser } from '@nordfil/matching';
import { loadPackage } from './errors.js';

/**
 * Loads `@nordfil/matching`, or explains that it is not available yet.
 *
 * @example
 * const m = await loadMatching('reconciling payments');
 */
export function loadMatching(feature = 'reconciling payments'): Promise<typeof import('@nordfil/matching')> {
  return loadPackage('@nordfil/matching', () => import('@nordfil/matching'), feature);
}

/**
 * Matching's `paymentFileParser` with the real parsers: BGMax, Total-IN and OCR giro files are read strictly
 * (a file with an error throws NordfilError with every issue, which the register keeps as `File Error`), and
 * each payment's id carries the file's identity.
 *
 * @example
 * const parse = await paymentParser();
 * const payments = await parse(bytes, { source: 'BGMAX_20261120.txt' });
 */
export async function paymentParser(): Promise<PaymentFileParser> {
  const m = await loadMatching('importing payment files');
  return m.paymentFileParser({
    bgmax: async (bytes, { source }) => {
      const b = await loadPackage('@nordfil/bgmax', () => import('@nordfil/bgmax'), 'reading BGMax files');
      return b.toPayments(b.parseBgmax(bytes, { source }), { source });
    },
    totalin: async (bytes, { source }) => {
      const t = await loadPackage('@nordfil/totalin', () => import('@nordfil/totalin'), 'reading Total-IN files');
      return t.toPayments(t.parseTotalIn(bytes, { source }), { source });
    },
    ocrgiro: async (bytes, { source }) => {
      const o = await loadPackage('@nordfil/ocrgiro', () => import('@nordfil/ocrgiro'), 'reading OCR giro files');
      return o.toPayments(o.parseOcrGiro(bytes, { source }), { source });
    },
  });
}
