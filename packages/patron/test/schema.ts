// Compiles the published export schema with an independent validator (ajv), not with zod.
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { borrowerExportJsonSchema } from '../src/index.js';

// ajv-formats is CommonJS with a default export
type Plugin = (ajv: Ajv2020) => unknown;
const addFormats = ((addFormatsModule as unknown as { default?: Plugin }).default ??
  addFormatsModule) as unknown as Plugin;

export function compileExportSchema() {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(borrowerExportJsonSchema());
}
