/**
 * Regenerates what is derived from the config schema: the JSON Schema file and the README's config
 * reference. `--check` writes nothing and exits 1 when a file is out of date (used by tests).
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { JSON_SCHEMA_FILE, jsonSchemaText, withConfigReference } from '../constructs/core/config/json-schema';
import { writeGenerated } from './generated-files';

const root = path.resolve(__dirname, '..');
const check = process.argv.includes('--check');
const outputs: (readonly [string, string])[] = [
  [JSON_SCHEMA_FILE, jsonSchemaText()],
  ['README.md', withConfigReference(readFileSync(path.join(root, 'README.md'), 'utf8'))],
];
const stale = writeGenerated(root, outputs, check);
process.exit(check && stale > 0 ? 1 : 0);
