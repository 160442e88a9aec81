/**
 * Image references on Kubernetes are always by digest (CKV_K8S_43): a tag can be moved to other
 * content, a digest cannot. What the kit runs comes from the customer's private mirror, so the
 * stacks build references as `<mirror repository>@<digest looked up at plan time>`.
 */
import { Token } from 'cdktf';

/** `registry[:port]/path/name@sha256:<64 hex>`, no tag. */
export const DIGEST_REFERENCE_RE = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d+)?(\/[a-z0-9]+([._-]+[a-z0-9]+)*)+@sha256:[0-9a-f]{64}$/;

/**
 * Throws unless `image` is a full reference by digest. A reference holding unresolved tokens (a
 * mirror URL and a digest resolved at plan time) must still show its `@`; the rest is checked by
 * Terraform's values.
 */
export function checkDigestReference(what: string, image: string): void {
  if (Token.isUnresolved(image)) {
    if (!image.includes('@')) {
      throw new Error(`${what} "${image}" is not referenced by digest: build it as <mirror repository>@<digest>, e.g. \`\${repositoryUrl}@\${imageDigest}\``);
    }
    return;
  }
  if (!DIGEST_REFERENCE_RE.test(image)) {
    throw new Error(
      `${what} "${image}" is not referenced by digest: use <registry>/<repository>@sha256:<64 hex digits> from the private mirror ` +
        '(tags like :v1.3.0 or :latest can be moved to other content; CKV_K8S_43)',
    );
  }
}
