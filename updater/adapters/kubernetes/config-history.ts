/**
 * Earlier contents of run-controller's config file, kept in an annotation of its ConfigMap so a
 * rollback can put back the exact file a ReplicaSet's pods ran with. Pure.
 *
 * A ReplicaSet records its config only as a hash (the pod-template annotation
 * `private-runner-kit/config-sha256`); this history maps hashes back to text. Entries are
 * content-addressed (an entry whose text does not hash to its key is dropped, so a hand-edited
 * annotation cannot smuggle in another config), newest first, bounded in number and size: the
 * API server limits all annotations of an object to 256 KiB together.
 */
import { configSha256 } from './run-controller-config-images';

/** The ConfigMap annotation holding the history (JSON). */
export const CONFIG_HISTORY_ANNOTATION = 'private-runner-kit/config-history';

/** More than a Deployment's revisionHistoryLimit (the kit sets 5), so every kept ReplicaSet finds its config. */
export const CONFIG_HISTORY_MAX_ENTRIES = 10;
/** Half the API server's 256 KiB limit for all annotations of an object. */
export const CONFIG_HISTORY_MAX_BYTES = 128 * 1024;

export interface ConfigHistoryEntry {
  /** Hex SHA-256 of `content`. */
  readonly sha256: string;
  readonly content: string;
}

/** The entries of an annotation value; malformed values and entries that fail their hash are left out. */
export function parseConfigHistory(annotation: string | undefined): ConfigHistoryEntry[] {
  if (annotation === undefined) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(annotation);
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  return parsed.filter(
    (e): e is ConfigHistoryEntry =>
      typeof e === 'object' && e !== null && typeof e.sha256 === 'string' && typeof e.content === 'string' && configSha256(e.content) === e.sha256,
  );
}

/**
 * `history` with each of `contents` first (newest first, one entry per content), then cut to
 * {@link CONFIG_HISTORY_MAX_ENTRIES} and {@link CONFIG_HISTORY_MAX_BYTES}. Throws when a single
 * content alone exceeds the size bound (it could never be restored).
 */
export function rememberConfigs(history: readonly ConfigHistoryEntry[], ...contents: string[]): ConfigHistoryEntry[] {
  const fresh = contents.map((content) => ({ sha256: configSha256(content), content }));
  const merged: ConfigHistoryEntry[] = [];
  for (const entry of [...fresh, ...history]) if (!merged.some((e) => e.sha256 === entry.sha256)) merged.push(entry);
  const kept: ConfigHistoryEntry[] = [];
  for (const entry of merged.slice(0, CONFIG_HISTORY_MAX_ENTRIES)) {
    if (serializeConfigHistory([...kept, entry]).length > CONFIG_HISTORY_MAX_BYTES) {
      if (fresh.some((f) => f.sha256 === entry.sha256)) {
        throw new Error(`the config file (${entry.content.length} bytes) is too large to keep for a rollback in annotation ${CONFIG_HISTORY_ANNOTATION} (at most ${CONFIG_HISTORY_MAX_BYTES} bytes in all)`);
      }
      break;
    }
    kept.push(entry);
  }
  return kept;
}

/** The content recorded for `sha256`, if any. */
export function findConfig(history: readonly ConfigHistoryEntry[], sha256: string): string | undefined {
  return history.find((e) => e.sha256 === sha256)?.content;
}

export function serializeConfigHistory(history: readonly ConfigHistoryEntry[]): string {
  return JSON.stringify(history.map(({ sha256, content }) => ({ sha256, content })));
}
