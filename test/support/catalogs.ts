/**
 * Reads the verification data in `data/` (see data/README.md): the Azure operation and GCP
 * permission catalogs, and the security rules each rule pack must map. Test helper, not a test.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

export const DATA_DIR = path.resolve(__dirname, '..', '..', 'data');

/** The lines of a catalog file, without `#` comments and blank lines. */
function catalogLines(file: string): string[] {
  return readFileSync(path.join(DATA_DIR, 'catalogs', file), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

/** Azure operation names, lower-cased (Azure RBAC compares case-insensitively), with their plane. */
export function azureOperations(): Map<string, 'control' | 'data'> {
  const out = new Map<string, 'control' | 'data'>();
  for (const line of catalogLines('azure-operations.txt')) {
    const [name, marker] = line.split(/\s+/);
    if (name) out.set(name.toLowerCase(), marker === 'dataAction' ? 'data' : 'control');
  }
  return out;
}

export function gcpPermissions(): Set<string> {
  return new Set(catalogLines('gcp-permissions.txt'));
}

/** The text of one `## <heading>` section of data/required-checks.md (up to the next heading). */
export function requiredChecksSection(heading: string): string {
  const text = readFileSync(path.join(DATA_DIR, 'required-checks.md'), 'utf8');
  const start = text.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`data/required-checks.md has no section "## ${heading}"`);
  const end = text.indexOf('\n## ', start + 1);
  return text.slice(start, end < 0 ? undefined : end);
}
