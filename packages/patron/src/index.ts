/**
 * @nordfil/patron: the borrower (låntagare) model, the GDPR export with a published JSON Schema, edits,
 * manual and debt blocks, guarded deletion and permissions. Pure and I/O-free: every operation takes the
 * borrower and a context (actor, account, clock values) and returns the new borrower and an audit entry.
 * @packageDocumentation
 */
export * from './audit.js';
export * from './blocks.js';
export * from './delete.js';
export * from './edit.js';
export * from './export.js';
export * from './model.js';
export * from './permissions.js';
export * from './spar-support.js';
export * from './validate.js';
