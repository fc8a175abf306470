/**
 * @nordfil/ports: the interfaces nordfil's jobs run through (Transport, Storage, Clock, Log), their in-memory
 * implementations, and helpers for adapter authors. The contract test suites are at `@nordfil/ports/testing`.
 * @packageDocumentation
 */
export * from './capabilities.js';
export * from './clock.js';
export * from './errors.js';
export * from './faults.js';
export * from './json.js';
export * from './log.js';
export * from './memory.js';
export * from './order.js';
export * from './storage.js';
export * from './transaction.js';
export * from './transport.js';
