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
import { normalizeVersionRecord as normalize, parseVersionRecord as parseRecord, versionRecordProblems } from '../../core/version-record';

export { versionRecordProblems } from '../../core/version-record';

/** A record from an SSM parameter's JSON (see `updater/core/version-record.ts`); errors say how to fix it with SSM. */
export function parseVersionRecord(text: string, where: string): VersionRecord {
  return parseRecord(text, where, FIX);
}

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

const FIX = `write a valid record (version, digest, updatedAt) with aws ssm put-parameter --overwrite, or reset it to the placeholder ${VERSION_RECORD_PLACEHOLDER} to have the next deploy bootstrap it`;
