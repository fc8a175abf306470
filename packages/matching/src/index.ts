/**
 * @nordfil/matching: incoming payments (BGMax, Total-IN, OCR giro) to the host's open invoices, as the seed's
 * customer-payment workflow describes, with tolerances as data, explicit statuses, evidence on every decision,
 * and the payment-file register.
 * @packageDocumentation
 */
export * from './config.js';
export * from './decide.js';
export * from './parsers.js';
export * from './ports.js';
export * from './record.js';
export * from './register.js';
export * from './status.js';
export * from './suggest.js';
export * from './whatif.js';
