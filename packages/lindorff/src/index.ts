/**
 * @nordfil/lindorff: collection cases (inkasso) exchanged with a debt-collection agency in the Lindorff/Intrum
 * workflow of the Cordel and Quick3 manuals: the collection list, export definitions, LS / RD / Kvitt / Avsl
 * file names and files behind a codec interface, the transfer rules, late-payment interest and the daily
 * exchange job. The default file format is nordfil's own documented format, NOT Lindorff's.
 * @packageDocumentation
 */
export * from './cases.js';
export * from './config.js';
export * from './corrections.js';
export * from './exchange.js';
export * from './format.js';
export * from './interest.js';
export * from './names.js';
export * from './rules.js';
export * from './settlements.js';
export { caseStore, noticeStore, type OcrLedger, stateFromJson, stateToJson, storageOcrLedger } from './store.js';
