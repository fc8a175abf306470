import { describe, expect, it } from 'vitest';
import { issue, NordfilError, safeFile, safeFileAsync, strictFile } from './errors.js';

const warning = issue('w', 'a warning', { severity: 'warning' });
const error = issue('e', 'an error');

describe('strictFile', () => {
  it('returns the file when no issue is an error', () => {
    expect(strictFile({ file: 'F', issues: [warning] })).toBe('F');
  });
  it('throws a NordfilError listing every issue when one is an error', () => {
    let e: unknown;
    try {
      strictFile({ file: 'F', issues: [warning, error] });
    } catch (x) {
      e = x;
    }
    expect(NordfilError.is(e)).toBe(true);
    expect((e as NordfilError).issues).toEqual([warning, error]);
  });
});

describe('safeFile', () => {
  it('gives the file with the warnings', () => {
    expect(safeFile(() => ({ file: 'F', issues: [warning] }))).toEqual({
      success: true,
      data: 'F',
      warnings: [warning],
    });
  });
  it('fails with every issue when one is an error', () => {
    const r = safeFile(() => ({ file: 'F', issues: [warning, error] }));
    expect(r.success).toBe(false);
    if (!r.success) expect(r.error.issues).toEqual([warning, error]);
  });
  it('turns a thrown NordfilError into a failure and lets other exceptions through', () => {
    const thrown = new NordfilError(error);
    expect(
      safeFile(() => {
        throw thrown;
      }),
    ).toEqual({ success: false, error: thrown });
    expect(() =>
      safeFile(() => {
        throw new RangeError('bug');
      }),
    ).toThrow(RangeError);
  });
});

describe('safeFileAsync', () => {
  it('gives the file with the warnings, or fails with every issue', async () => {
    expect(await safeFileAsync(async () => ({ file: 'F', issues: [warning] }))).toEqual({
      success: true,
      data: 'F',
      warnings: [warning],
    });
    const r = await safeFileAsync(async () => ({ file: 'F', issues: [warning, error] }));
    expect(r.success).toBe(false);
    if (!r.success) expect(r.error.issues).toEqual([warning, error]);
  });
  it('turns a rejected NordfilError into a failure and lets other rejections through', async () => {
    const thrown = new NordfilError(error);
    expect(await safeFileAsync(() => Promise.reject(thrown))).toEqual({ success: false, error: thrown });
    await expect(safeFileAsync(() => Promise.reject(new RangeError('bug')))).rejects.toThrow(RangeError);
  });
});
