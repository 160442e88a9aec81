/**
 * The form of a content digest, as the updater's records and ports carry it. Only sha256 is
 * supported: it is what every registry the kit talks to (ghcr.io, ECR, ACR, Artifact Registry)
 * produces, and accepting a digest we cannot verify would defeat the point of promoting by digest.
 * Hashing and verifying bytes is the OCI adapter's work (`adapters/oci/digest.ts`).
 */

const SHA256_DIGEST = /^sha256:[a-f0-9]{64}$/;

/** True for a `sha256:<64 hex>` digest. */
export function isDigest(value: string): boolean {
  return SHA256_DIGEST.test(value);
}

/** Throws unless `value` is a sha256 digest; `what` names it in the error. */
export function assertDigest(value: string, what: string): void {
  if (!isDigest(value)) {
    throw new Error(`${what} "${value}" is not a sha256 digest; expected sha256: followed by 64 lower-case hex digits`);
  }
}
