/**
 * Which parser reads an uploaded payment file. The format packages (`@nordfil/bgmax`, `@nordfil/totalin`,
 * `@nordfil/ocrgiro`) are injected, so matching does not depend on them and a host can plug in any parser that
 * produces core's `Payment`.
 */
import { detectPaymentFormat, issue, NordfilError, type Payment, type PaymentFormat } from '@nordfil/core';

/**
 * Options a parser receives: `source` is the uploaded file's name (for issue locations and payment ids).
 *
 * @example
 * const opts: ParseOptions = { source: 'BGMAX_20261123.txt' };
 */
export interface ParseOptions {
  readonly source: string;
}

/**
 * Reads a whole payment file into payments; throws NordfilError (with every issue) when it cannot.
 *
 * @example
 * const parse: PaymentFileParser = (bytes, { source }) => toPayments(parseBgmax(bytes, { source }));
 */
export type PaymentFileParser = (
  bytes: Uint8Array,
  options: ParseOptions,
) => readonly Payment[] | Promise<readonly Payment[]>;

/**
 * One parser per format; leave out the ones you do not read.
 *
 * @example
 * const parsers: PaymentParsers = { bgmax: (b, o) => toPayments(parseBgmax(b, o)) };
 */
export type PaymentParsers = Partial<Record<PaymentFormat, PaymentFileParser>>;

/**
 * A {@link PaymentFileParser} that recognises the format from the first record (core's `detectPaymentFormat`)
 * and hands the bytes to the parser for it. An unrecognised file, or a format without a parser, throws
 * NordfilError `unknown_format` / `unsupported_format`: the import job keeps such a file with status
 * `File Error`.
 *
 * @example
 * import { parseBgmax, toPayments } from '@nordfil/bgmax';
 * const parse = paymentFileParser({ bgmax: (bytes, { source }) => toPayments(parseBgmax(bytes, { source })) });
 */
export function paymentFileParser(parsers: PaymentParsers): PaymentFileParser {
  return (bytes, options) => {
    const format = detectPaymentFormat(bytes);
    if (format === 'unknown') {
      throw new NordfilError(
        issue(
          'unknown_format',
          `${options.source} is neither BGMax, Total-IN nor OCR giro (first record not recognised)`,
          {
            source: options.source,
            line: 1,
          },
        ),
      );
    }
    const parser = parsers[format];
    if (parser === undefined) {
      throw new NordfilError(
        issue('unsupported_format', `${options.source} is a ${format} file, and no ${format} parser is configured`, {
          source: options.source,
          actual: format,
        }),
      );
    }
    return parser(bytes, options);
  };
}
