/**
 * The version record as one JSON object in the kit's bucket (`records/<runner>.json`): what the
 * updater last put in place, read by operators (`gcloud storage cat gs://<bucket>/records/...`),
 * by the next updater run and by Terraform (which creates the runner's first revision from it).
 * The deploy's bootstrap writes the first record; the updater owns it from then on (the bucket is
 * versioned, so earlier records stay readable). A missing object is "no record yet"; any other
 * content that is not a record is an error naming the object.
 */
import type { VersionRecord, VersionStore } from '../../core/ports';
import { normalizeVersionRecord, parseVersionRecord, versionRecordProblems } from '../../core/version-record';
import { GOOGLE_ENDPOINTS, isNotFound, type GoogleApi } from './google-api';

export interface GcsVersionStoreOptions {
  readonly api: GoogleApi;
  readonly bucket: string;
  /** e.g. `records/default.json`. */
  readonly object: string;
  /** @default GOOGLE_ENDPOINTS.storage */
  readonly endpoint?: string;
}

export class GcsVersionStore implements VersionStore {
  private readonly base: string;

  constructor(private readonly o: GcsVersionStoreOptions) {
    if (!/^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/.test(o.bucket)) throw new Error(`bucket "${o.bucket}" is not a Cloud Storage bucket name`);
    if (o.object === '' || o.object.startsWith('/')) throw new Error(`object "${o.object}" is not an object name`);
    this.base = (o.endpoint ?? GOOGLE_ENDPOINTS.storage).replace(/\/+$/, '');
  }

  get location(): string {
    return `gs://${this.o.bucket}/${this.o.object}`;
  }

  async read(): Promise<VersionRecord | undefined> {
    let text: string;
    try {
      text = await this.o.api.text('GET', `${this.base}/storage/v1/b/${encodeURIComponent(this.o.bucket)}/o/${encodeURIComponent(this.o.object)}?alt=media`);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
    return parseVersionRecord(text, this.location, `write a valid record (version, digest, updatedAt) to ${this.location}, or restore an earlier generation of it (the bucket is versioned)`);
  }

  async write(record: VersionRecord): Promise<void> {
    const problems = versionRecordProblems(record);
    if (problems.length > 0) throw new Error(`refusing to write an invalid version record to ${this.location}: ${problems.join('; ')}`);
    const bytes = Buffer.from(JSON.stringify(normalizeVersionRecord(record)));
    await this.o.api.json('POST', `${this.base}/upload/storage/v1/b/${encodeURIComponent(this.o.bucket)}/o?uploadType=media&name=${encodeURIComponent(this.o.object)}`, { rawBody: { contentType: 'application/json', bytes } });
  }
}
