/**
 * The version record's shape, checked the same way on every cloud (SSM parameter on AWS, an object
 * in the kit's bucket on GCP): what the updater last put in place. Moved here from the SSM store so
 * every store reads and writes records alike.
 */
import type { VersionRecord } from './ports';
import { isDigest } from './digest';

/**
 * Parses a version record from JSON. Unknown fields are ignored (a newer updater may add some);
 * missing or malformed known fields throw an error naming `where`, the problems, and the fix.
 */
export function parseVersionRecord(text: string, where: string, fix: string): VersionRecord {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`${where} does not hold a version record: its value is not JSON (${preview(text)}); ${fix}`);
  }
  const problems = versionRecordProblems(value);
  if (problems.length > 0) throw new Error(`${where} does not hold a valid version record: ${problems.join('; ')} (value ${preview(text)}); ${fix}`);
  return normalizeVersionRecord(value as VersionRecord);
}


/** Every way `value` is not a {@link VersionRecord}; empty when it is one. */
export function versionRecordProblems(value: unknown): string[] {
  if (!isObject(value)) return [`expected a JSON object, got ${show(value)}`];
  const problems = revisionProblems(value, '');
  if (typeof value.updatedAt !== 'string' || Number.isNaN(Date.parse(value.updatedAt))) {
    problems.push(`updatedAt must be an ISO time, got ${show(value.updatedAt)}`);
  }
  if (value.previous !== undefined) {
    if (isObject(value.previous)) problems.push(...revisionProblems(value.previous, 'previous.'));
    else problems.push(`previous must be an object, got ${show(value.previous)}`);
  }
  return problems;
}

function revisionProblems(value: Record<string, unknown>, prefix: string): string[] {
  const problems: string[] = [];
  if (typeof value.version !== 'string' || value.version === '') problems.push(`${prefix}version must be a non-empty string, got ${show(value.version)}`);
  if (typeof value.digest !== 'string' || !isDigest(value.digest)) problems.push(`${prefix}digest must be sha256:<64 hex>, got ${show(value.digest)}`);
  if (value.revision !== undefined && (typeof value.revision !== 'string' || value.revision === '')) {
    problems.push(`${prefix}revision must be a non-empty string when present, got ${show(value.revision)}`);
  }
  return problems;
}

/** The known fields only, in a stable order. */
export function normalizeVersionRecord(record: VersionRecord): VersionRecord {
  const previous = record.previous;
  return {
    version: record.version,
    digest: record.digest,
    ...(record.revision !== undefined && { revision: record.revision }),
    ...(previous !== undefined && {
      previous: { version: previous.version, digest: previous.digest, ...(previous.revision !== undefined && { revision: previous.revision }) },
    }),
    updatedAt: record.updatedAt,
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A JSON rendering of a field's value for messages. */
function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  return truncate(JSON.stringify(value) ?? String(value));
}

/** Raw parameter text for messages, quoted. */
function preview(text: string): string {
  return JSON.stringify(truncate(text));
}

function truncate(text: string): string {
  return text.length > 120 ? `${text.slice(0, 120)}...` : text;
}
