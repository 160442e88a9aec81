/** Reads the permission catalogs of ../shared/catalogs (see its README). Test helper, not a test. */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { SHARED_DIR } from '../../../support/requirements';

export const CATALOG_DIR = path.join(SHARED_DIR, 'catalogs');

/** Azure operation names, lower-cased (Azure RBAC compares case-insensitively), with their plane. */
export function azureOperations(): Map<string, 'control' | 'data'> {
  const out = new Map<string, 'control' | 'data'>();
  for (const line of readFileSync(path.join(CATALOG_DIR, 'azure-operations.txt'), 'utf8').split('\n')) {
    const [name, marker] = line.trim().split(/\s+/);
    if (name) out.set(name.toLowerCase(), marker === 'dataAction' ? 'data' : 'control');
  }
  return out;
}

export function gcpPermissions(): Set<string> {
  return new Set(readFileSync(path.join(CATALOG_DIR, 'gcp-permissions.txt'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l.length > 0));
}
