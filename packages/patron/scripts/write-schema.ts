// Writes schema/borrower-export.v<N>.json from the zod schema. Run after changing the export schema:
//   npm run schema -w @nordfil/patron   (then formats the file with biome, as lint expects)
// A test fails while the committed file differs from what this writes.
import { writeFileSync } from 'node:fs';
import { BORROWER_SCHEMA_VERSION, borrowerExportJsonSchema } from '../src/index.js';

const file = new URL(`../schema/borrower-export.v${BORROWER_SCHEMA_VERSION}.json`, import.meta.url);
writeFileSync(file, `${JSON.stringify(borrowerExportJsonSchema(), null, 2)}\n`);
