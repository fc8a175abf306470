/**
 * @nordfil/core: the shared kernel of nordfil.
 * @packageDocumentation
 */

export * from './accounts.js';
export * from './checkdigits.js';
export * from './codec.js';
export * from './collector.js';
export * from './date.js';
export * from './encoding.js';
export * from './errors.js';
export * from './identity.js';
export * from './lines.js';
export * from './money.js';
export * from './payment.js';
export * from './references.js';
