/**
 * @nordfil/bgmax: Bankgirot BGMax files (Bankgiro Inbetalningar, incoming payments): parse whole or
 * streaming, validate (every control record checked), write, and map onto the shared `Payment` model.
 * The records layer is at `@nordfil/bgmax/records`.
 */
export type { BgmaxEncoding, BgmaxFileFormat, BgmaxInput } from './input.js';
export {
  type BgmaxBankAccount,
  type BgmaxDeposit,
  type BgmaxExtraReference,
  type BgmaxFile,
  type BgmaxHeader,
  type BgmaxItem,
  type BgmaxSection,
  type BgmaxSectionSummary,
  type BgmaxTrailer,
  type BgmaxUnknownRecord,
  bgmaxFileIdentity,
  referenceKindOf,
  summarizeSection,
  type ToPaymentsOptions,
  toPayments,
  toRecords,
} from './objects.js';
export {
  type BgmaxParseResult,
  type BgmaxReader,
  type LenientParseBgmaxOptions,
  type ParseBgmaxOptions,
  parseBgmax,
  parseBgmaxAsync,
  type ReadBgmaxOptions,
  readBgmax,
  type StrictParseBgmaxOptions,
  safeParseBgmax,
  safeParseBgmaxAsync,
} from './parse.js';
export { type BgmaxFileSource, type WriteBgmaxOptions, writeBgmax, writeBgmaxChunks } from './write.js';
