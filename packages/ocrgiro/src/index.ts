/**
 * @nordfil/ocrgiro: Nets OCR giro incoming-payment files (Norway). Parse whole files or streams into a
 * transmission of assignments of transactions with every control record checked, map them to the shared
 * `Payment` model, and write files back byte for byte. The low-level records API is at
 * `@nordfil/ocrgiro/records`.
 *
 * @packageDocumentation
 */

export { type BuildAssignmentInput, type BuildInput, type BuildTransactionInput, buildOcrGiro } from './build.js';
export { DEFAULT_PIVOT } from './codecs.js';
export type { InputEncoding } from './input.js';
export {
  type Assignment,
  type AssignmentEnd,
  type AssignmentType,
  AVTALEGIRO_TRANSACTION_TYPE_NAMES,
  type AvtaleGiroAgreement,
  type AvtaleGiroRequest,
  type AvtaleGiroTransactionType,
  type FileLayout,
  isReversal,
  kidProblem,
  OCR_GIRO_TRANSACTION_TYPE_NAMES,
  type OcrGiroFile,
  type OcrGiroTransaction,
  type OcrGiroTransactionType,
  paymentOf,
  type Reserved,
  type ServiceCode,
  type SpecificationLine,
  type ToPaymentsOptions,
  type Transaction,
  type TransmissionEnd,
  type TransmissionHeader,
  toPayments,
  transactionTypeName,
} from './objects.js';
export {
  type OcrGiroInput,
  type OcrGiroReader,
  type ParseOptions,
  parseOcrGiro,
  parseOcrGiroAsync,
  type ReadOptions,
  readOcrGiro,
  safeParseOcrGiro,
  safeParseOcrGiroAsync,
} from './parse.js';
export {
  type OcrGiroWriteInput,
  ocrGiroRecordsOf,
  type WriteOptions,
  writeOcrGiro,
  writeOcrGiroChunks,
} from './write.js';
