/**
 * Internal: choosing the decoding of the input. Banks send ISO-8859-1; a file re-encoded by a tool is
 * UTF-8, recognised by a byte order mark or by valid UTF-8 multi-byte sequences (which latin-1 text with
 * Swedish letters practically never is).
 */
import { type IssueCollector, issue, NordfilError } from '@nordfil/core';

/** The encoding option of the parsers: `auto` (default) picks latin-1 or UTF-8 from the bytes. */
export type TotalInEncoding = 'latin1' | 'utf-8' | 'auto';

/** Reports the `encoding` warning for a UTF-8 input. @internal */
export function reportEncoding(encoding: 'latin1' | 'utf-8', bom: boolean, issues: IssueCollector): void {
  if (encoding !== 'utf-8') return;
  issues.report(
    'encoding',
    bom
      ? 'UTF-8 with a byte order mark, not the banks’ ISO-8859-1: decoded as UTF-8 (BOM dropped)'
      : 'UTF-8, not the banks’ ISO-8859-1 (valid UTF-8 with multi-byte sequences): decoded as UTF-8',
    { severity: 'warning' },
  );
}

const ENCODINGS: readonly string[] = ['auto', 'latin1', 'utf-8'];

/** Throws a NordfilError `invalid_config` for an encoding option other than `auto`, `latin1` or `utf-8`. @internal */
export function checkEncodingOption(option: unknown): asserts option is TotalInEncoding {
  if (typeof option !== 'string' || !ENCODINGS.includes(option)) {
    throw new NordfilError(
      issue('invalid_config', `encoding must be 'auto', 'latin1' or 'utf-8', got ${JSON.stringify(option)}`, {
        field: 'encoding',
        actual: String(option),
      }),
    );
  }
}
