/**
 * Repository names and references as the OCI distribution spec defines them. They are validated
 * before they become part of a URL path, so a bad config value fails with a clear message instead
 * of reaching an unexpected endpoint.
 */
import { isDigest } from './digest';

const PATH_COMPONENT = '[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*';
const REPOSITORY = new RegExp(`^${PATH_COMPONENT}(?:/${PATH_COMPONENT})*$`);
const TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;

/** Throws unless `name` is a valid repository name such as `meshcloud/tf-block-runner`. */
export function assertRepository(name: string): void {
  if (!REPOSITORY.test(name) || name.length > 255) {
    throw new Error(
      `repository "${name}" is not a valid OCI repository name; use lower-case path components separated by "/", e.g. meshcloud/tf-block-runner`,
    );
  }
}

/** True for a valid tag such as `v1.3.0`. */
export function isTag(value: string): boolean {
  return TAG.test(value);
}

/** Throws unless `value` is a tag or a sha256 digest. */
export function assertReference(value: string): void {
  if (!isTag(value) && !isDigest(value)) {
    throw new Error(
      `reference "${value}" is neither a tag (up to 128 of [A-Za-z0-9_.-], not starting with . or -) nor a sha256 digest`,
    );
  }
}

/**
 * Splits an image repository as the config names it (`ghcr.io/meshcloud/tf-block-runner`) into the
 * registry's origin and the repository: https, except for a registry on this machine (tests).
 */
export function splitImage(image: string): { registry: string; repository: string } {
  const slash = image.indexOf('/');
  const host = image.slice(0, slash);
  const local = host === 'localhost' || host.startsWith('127.0.0.1') || host.startsWith('localhost:');
  return { registry: `${local ? 'http' : 'https'}://${host}`, repository: image.slice(slash + 1) };
}
