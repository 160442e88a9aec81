/**
 * The version record in one SSM String parameter, as JSON: what the updater last put in place,
 * read by operators (`aws ssm get-parameter`) and by the next updater run.
 *
 * Terraform creates the parameter with {@link VERSION_RECORD_PLACEHOLDER} (`updater/core/ports.ts`)
 * and ignores later value changes, so the updater owns the value from then on. Exactly that
 * placeholder reads as "no record yet"; any other value that is not a record is an error naming
 * the parameter, because guessing what runs would let an update or rollback act on a wrong premise.
 */
import { GetParameterCommand, ParameterNotFound, PutParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { VERSION_RECORD_PLACEHOLDER, type VersionRecord, type VersionStore } from '../../core/ports';
import { isDigest } from '../oci/digest';

/** SSM's limit for a Standard-tier parameter value. */
const MAX_STANDARD_VALUE_CHARS = 4096;

export interface SsmVersionStoreOptions {
  readonly ssm: SSMClient;
  /** The parameter's name, e.g. `/private-runner-kit/<target>/<runner>/version`. */
  readonly parameterName: string;
}

export class SsmVersionStore implements VersionStore {
  private readonly ssm: SSMClient;
  private readonly name: string;

  constructor(options: SsmVersionStoreOptions) {
    if (!options.parameterName) throw new Error('parameterName must name the SSM parameter holding the version record; got an empty value');
    this.ssm = options.ssm;
    this.name = options.parameterName;
  }

  /**
   * The record; `undefined` when the parameter does not exist or holds exactly (byte for byte)
   * {@link VERSION_RECORD_PLACEHOLDER}. Throws for any other value that is not a record.
   */
  async read(): Promise<VersionRecord | undefined> {
    let value: string | undefined;
    try {
      value = (await this.ssm.send(new GetParameterCommand({ Name: this.name }))).Parameter?.Value;
    } catch (err) {
      if (err instanceof ParameterNotFound || (err as { name?: unknown } | null)?.name === 'ParameterNotFound') return undefined;
      throw err;
    }
    if (value === undefined) throw new Error(`SSM parameter ${this.name} answered without a value; expected a version record as JSON`);
    if (value === VERSION_RECORD_PLACEHOLDER) return undefined;
    return parseVersionRecord(value, `SSM parameter ${this.name}`);
  }

  /** Overwrites the parameter (Type String) with `record` as JSON; an invalid record is refused first. */
  async write(record: VersionRecord): Promise<void> {
    const problems = versionRecordProblems(record);
    if (problems.length > 0) throw new Error(`refusing to write an invalid version record to SSM parameter ${this.name}: ${problems.join('; ')}`);
    const value = JSON.stringify(normalize(record));
    if (value.length > MAX_STANDARD_VALUE_CHARS) {
      throw new Error(`version record for SSM parameter ${this.name} is ${value.length} characters; a Standard parameter holds at most ${MAX_STANDARD_VALUE_CHARS}`);
    }
    await this.ssm.send(new PutParameterCommand({ Name: this.name, Value: value, Type: 'String', Overwrite: true }));
  }
}

/**
 * Parses a version record from JSON. Unknown fields are ignored (a newer updater may add some);
 * missing or malformed known fields throw an error naming `where`, the problems, and the fix.
 */
export function parseVersionRecord(text: string, where: string): VersionRecord {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`${where} does not hold a version record: its value is not JSON (${preview(text)}); ${FIX}`);
  }
  const problems = versionRecordProblems(value);
  if (problems.length > 0) throw new Error(`${where} does not hold a valid version record: ${problems.join('; ')} (value ${preview(text)}); ${FIX}`);
  return normalize(value as VersionRecord);
}

const FIX = `write a valid record (version, digest, updatedAt) with aws ssm put-parameter --overwrite, or reset it to the placeholder ${VERSION_RECORD_PLACEHOLDER} to have the next deploy bootstrap it`;

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
function normalize(record: VersionRecord): VersionRecord {
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
