/**
 * @nordfil/spar: SPAR (Statens personadressregister, the Swedish population address register) for a library
 * system: the XML records, the borrower update rules, the nightly export of new borrowers and the import of
 * SPAR's update files, run through ports.
 * @packageDocumentation
 */
export * from './jobs.js';
export * from './records.js';
export * from './rules.js';
