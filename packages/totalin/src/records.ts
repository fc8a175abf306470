/**
 * The records layer of Total-IN (`@nordfil/totalin/records`): one typed record per record type, each
 * layout declared once with `defineRecord`, as a discriminated union on `type`, keeping the raw line and
 * its number, and a reader and writer that are exact inverses (`write(parse(bytes))` gives back the
 * bytes). Nothing here checks the file's structure or control totals: that is the package root's job.
 *
 * @example
 * import { parseTotalInRecords, writeTotalInRecords } from '@nordfil/totalin/records';
 * const { records, issues, layout } = parseTotalInRecords(bytes);
 * writeTotalInRecords(records, layout); // the same bytes
 * @packageDocumentation
 */
export {
  type BlankLine,
  codecFor,
  type ParsedRecords,
  type ParseRecordsOptions,
  type PhysicalLayout,
  parseTotalInRecords,
  RECORD_LENGTH,
  type Record00,
  type Record10,
  type Record20,
  type Record25,
  type Record30,
  type Record40,
  type Record50,
  type Record51,
  type Record52,
  type Record60,
  type Record61,
  type Record62,
  type Record63,
  type Record70,
  type Record90,
  type Record99,
  type RecordMeta,
  record00,
  record10,
  record20,
  record25,
  record30,
  record40,
  record50,
  record51,
  record52,
  record60,
  record61,
  record62,
  record63,
  record70,
  record90,
  record99,
  TOTALIN_CODECS,
  type TotalInKnownRecord,
  type TotalInRecord,
  type TotalInRecordType,
  type UnknownRecord,
  type WriteOptions,
  writeTotalInRecords,
} from './codecs.js';
