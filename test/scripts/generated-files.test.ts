import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { JSON_SCHEMA_FILE, jsonSchemaText, referenceRows, withConfigReference } from '../../constructs/core/config/json-schema';
import { REPO_ROOT } from '../support/synth';

describe('generated files are up to date (run `npm run generate` when this fails)', () => {
  it(`${JSON_SCHEMA_FILE} matches the zod schema`, () => {
    expect(readFileSync(path.join(REPO_ROOT, JSON_SCHEMA_FILE), 'utf8')).toBe(jsonSchemaText());
  });

  it("README.md's config reference matches the zod schema", () => {
    const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
    expect(readme).toBe(withConfigReference(readme));
  });

  it('every config field has a description', () => {
    const undocumented = referenceRows().filter((r) => r.description.trim().length === 0).map((r) => r.path);
    expect(undocumented).toEqual([]);
  });

  it('the JSON Schema rejects what the loader rejects at the shape level (typo, wrong enum)', () => {
    const schema = JSON.parse(jsonSchemaText());
    // One strict object per cloud this version deploys, told apart by `cloud`.
    const variants = schema.properties.targets.additionalProperties.oneOf as Record<string, any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(variants.map((v) => v.properties.cloud.const)).toEqual(['aws', 'azure', 'gcp']);
    for (const target of variants) {
      expect(target.additionalProperties).toBe(false);
      expect(target.required).toEqual(expect.arrayContaining(['cloud', 'platform', 'region', 'meshstack', 'runners']));
    }
  });
});
