/**
 * @nordfil/totalin: Nordea Total-IN incoming-payment files (Total IN / Total IN Bas, formerly
 * PlusGirot): parse whole files or streams, check the control records, write, and map to the shared
 * payment model. The record-level API is at `@nordfil/totalin/records`.
 * @packageDocumentation
 */

export type { TotalInEncoding } from './encoding.js';
export {
  fileIdentityOf,
  headerRecord,
  type RawLine,
  sectionSummary,
  sectionToRecords,
  type ToPaymentsOptions,
  type TotalInAccountSection,
  type TotalInExtraReferences,
  type TotalInFile,
  type TotalInForeignPayment,
  type TotalInHeader,
  type TotalInItem,
  type TotalInMessage,
  type TotalInParty,
  type TotalInPayerAccount,
  type TotalInPhysical,
  type TotalInSectionClosing,
  type TotalInTrailer,
  toPayments,
  toRecords,
} from './objects.js';
export {
  type LenientParseTotalInOptions,
  type ParseTotalInOptions,
  parseTotalIn,
  parseTotalInAsync,
  type ReadTotalInOptions,
  readTotalIn,
  type StrictParseTotalInOptions,
  safeParseTotalIn,
  safeParseTotalInAsync,
  type TotalInInput,
  type TotalInParseResult,
  type TotalInReader,
} from './parse.js';
export type { PhysicalLayout } from './physical.js';
export { createTotalInWriter, type WriteTotalInOptions, writeTotalIn } from './write.js';
