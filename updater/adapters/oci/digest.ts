/**
 * Content digests: hashing and verifying bytes as they come from a registry. The digest's form
 * (sha256 only) is the core's (`updater/core/digest.ts`), re-exported here for the adapters.
 */
import { createHash } from 'node:crypto';
import { DigestMismatchError } from './errors';

export { assertDigest, isDigest } from '../../core/digest';

/** The sha256 digest of `bytes`, in `sha256:<hex>` form. */
export function digestOf(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** Throws {@link DigestMismatchError} unless `bytes` hash to `expected`. */
export function verifyDigest(bytes: Uint8Array, expected: string, what: string): void {
  const actual = digestOf(bytes);
  if (actual !== expected) throw new DigestMismatchError(what, expected, actual);
}

/** A blob stream that checks size and digest while passing the bytes through. */
export interface VerifiedStream {
  readonly stream: ReadableStream<Uint8Array>;
  /** The error that ended the stream (source failure or mismatch), once there is one. */
  failure(): Error | undefined;
}

/**
 * Wraps `source` so that it fails instead of ending when the content is longer or shorter than
 * `size` or does not hash to `digest`. The last chunk is held back until the digest is checked, so
 * a consumer uploading with `Content-Length: size` never delivers complete wrong content: the
 * upload is cut short and the registry discards it. Errors of `source` (a cut connection) pass
 * through and are remembered, so the caller can report the real cause rather than the upload's.
 */
export function verifyingStream(source: ReadableStream<Uint8Array>, digest: string, size: number): VerifiedStream {
  const reader = source.getReader();
  const hash = createHash('sha256');
  let received = 0;
  let held: Uint8Array | undefined;
  let failure: Error | undefined;

  const fail = (controller: ReadableStreamDefaultController<Uint8Array>, err: Error): void => {
    failure = err;
    controller.error(err);
    reader.cancel(err).catch(() => undefined);
  };

  const finish = (controller: ReadableStreamDefaultController<Uint8Array>): void => {
    const actual = `sha256:${hash.digest('hex')}`;
    if (received !== size) return fail(controller, new Error(`blob ${digest}: expected ${size} bytes, the source sent ${received}`));
    if (actual !== digest) return fail(controller, new DigestMismatchError('blob streamed from the source', digest, actual));
    if (held) controller.enqueue(held);
    controller.close();
  };

  const stream = new ReadableStream<Uint8Array>({
    /** Reads until one chunk can be released (the pull must enqueue, close or fail, or the stream stalls). */
    async pull(controller) {
      for (;;) {
        let chunk: Awaited<ReturnType<typeof reader.read>>;
        try {
          chunk = await reader.read();
        } catch (err) {
          failure = asError(err);
          controller.error(failure);
          return;
        }
        if (chunk.done) return finish(controller);
        received += chunk.value.byteLength;
        if (received > size) return fail(controller, new Error(`blob ${digest}: the source sent more than the expected ${size} bytes`));
        hash.update(chunk.value);
        const release = held;
        held = chunk.value;
        if (release) return controller.enqueue(release);
      }
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
  return { stream, failure: () => failure };
}

/** `err` as an Error, keeping the name of non-Error throwables (a timeout is a DOMException in Node 20). */
function asError(err: unknown): Error {
  if (err instanceof Error) return err;
  const wrapped = new Error(String(err));
  if (typeof err === 'object' && err !== null && 'name' in err && typeof err.name === 'string') wrapped.name = err.name;
  return wrapped;
}
