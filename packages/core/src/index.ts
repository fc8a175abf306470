/**
 * @nordfil/core: the shared kernel of nordfil.
 * @packageDocumentation
 */
export * from './errors.js';
export * from './money.js';
export * from './date.js';
export * from './payment.js';
export * from './checkdigits.js';
export * from './references.js';
export * from './identity.js';
export * from './accounts.js';
