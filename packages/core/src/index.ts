/**
 * @nordfil/core: the shared kernel of nordfil.
 * @packageDocumentation
 */
export * from './errors.js';
