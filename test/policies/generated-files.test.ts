import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { existingGeneratedFiles, policyFiles } from '../../scripts/generate-policies';
import { REPO_ROOT } from '../support/synth';
import { documents, operatorExample } from './support';

describe('policies/ is up to date (run `npm run policies` when this fails)', () => {
  let files: Map<string, string>;
  beforeAll(() => {
    files = policyFiles();
  });

  it('every generated file is checked in, byte for byte', () => {
    const differing = [...files.entries()].filter(([file, text]) => {
      try {
        return readFileSync(path.join(REPO_ROOT, file), 'utf8') !== text;
      } catch {
        return true;
      }
    });
    expect(differing.map(([f]) => f)).toEqual([]);
  });

  it('no checked-in file under policies/aws is left over from an older generation', () => {
    expect(existingGeneratedFiles().filter((f) => !files.has(f))).toEqual([]);
  });

  it('README.md and every GENERATED.md start with the banner: generated, from where, how to regenerate', () => {
    const banners = [...files.entries()].filter(([f]) => f.endsWith('.md'));
    expect(banners.length).toBeGreaterThanOrEqual(2);
    for (const [, text] of banners) {
      expect(text.split('\n').slice(0, 4).join('\n')).toMatch(/Generated from `examples\/.*\.yaml`.* by `scripts\/generate-policies\.ts`\. Do not edit: regenerate with `npm run policies`/);
    }
  });

  it('every AWS JSON file is a strict IAM document: Version and Statement only, no comment fields', () => {
    for (const [file, text] of files) {
      if (!file.endsWith('.json') || !file.startsWith('policies/aws/')) continue;
      const doc = JSON.parse(text);
      expect({ file, keys: Object.keys(doc) }).toEqual({ file, keys: ['Version', 'Statement'] });
      for (const st of doc.Statement) {
        expect(Object.keys(st).every((k) => ['Sid', 'Effect', 'Principal', 'Action', 'Resource', 'Condition'].includes(k))).toBe(true);
        expect(st.Sid).toMatch(/^[A-Za-z0-9]+$/);
      }
    }
  });

  it("every Azure JSON file is a role definition in az's form, or a list of assignments: no comment fields", () => {
    const azure = [...files].filter(([f]) => f.startsWith('policies/azure/') && f.endsWith('.json'));
    expect(azure.length).toBeGreaterThan(5);
    for (const [file, text] of azure) {
      const doc = JSON.parse(text);
      if (file.endsWith('-role.json')) {
        expect({ file, keys: Object.keys(doc) }).toEqual({ file, keys: ['Name', 'IsCustom', 'Description', 'Actions', 'NotActions', 'DataActions', 'NotDataActions', 'AssignableScopes'] });
      } else {
        expect(Array.isArray(doc)).toBe(true);
        for (const a of doc) expect(Object.keys(a).sort()).toEqual(file.endsWith('built-in-role-assignments.json') ? ['principalId', 'roleDefinitionName', 'scope', 'why'] : ['principalId', 'principalType', 'roleDefinitionName', 'scope']);
      }
    }
  });

  it('every GCP JSON file is in GCP\'s own form: a Role (roles/*.json) or the bindings by resource (bindings.json)', () => {
    const gcp = [...files].filter(([f]) => f.startsWith('policies/gcp/') && f.endsWith('.json'));
    expect(gcp.some(([f]) => f.endsWith('/bindings.json'))).toBe(true);
    for (const [file, text] of gcp) {
      const doc = JSON.parse(text);
      if (file.endsWith('/bindings.json')) {
        for (const b of doc) expect(Object.keys(b)).toEqual(['resource', 'via', 'bindings']);
      } else {
        expect({ file, keys: Object.keys(doc) }).toEqual({ file, keys: ['name', 'title', 'description', 'includedPermissions', 'stage'] });
      }
    }
  });

  it('names files after roles: operator-*, <role>-trust / -permissions, and the boundary', () => {
    const names = documents(operatorExample()).length;
    expect(names).toBeGreaterThan(5);
    const generated = [...operatorExample().files.keys()].map((f) => path.basename(f));
    expect(generated).toEqual(expect.arrayContaining(['operator-trust.json', 'operator-permissions.json', 'default-exec-trust.json', 'default-task-trust.json', 'permissions-boundary.json', 'GENERATED.md']));
    expect(generated).not.toContain('default-task-permissions.json');
  });

  it('fits the IAM size limits (non-whitespace characters): boundary <= 6,144, inline policies <= 10,240, trust <= 2,048', () => {
    const size = (doc: unknown) => JSON.stringify(doc).replace(/\s/g, '').length;
    const t = operatorExample().audited;
    const sizes = {
      boundary: Math.max(...t.boundaries.map((b) => size(b.document))),
      inline: Math.max(...t.roles.map((r) => size(r.permissions ?? {}))),
      trust: Math.max(...t.roles.map((r) => size(r.trust))),
    };
    process.stdout.write(`policy sizes (non-whitespace characters): ${JSON.stringify(sizes)}\n`);
    expect(sizes.boundary).toBeLessThanOrEqual(6144);
    expect(sizes.inline).toBeLessThanOrEqual(10240);
    expect(sizes.trust).toBeLessThanOrEqual(2048);
  });
});
