/**
 * @nordfil/core: the shared kernel of nordfil.
 * @packageDocumentation
 */
export * from './errors.js';
export * from './money.js';
export * from './date.js';
export * from './payment.js';
