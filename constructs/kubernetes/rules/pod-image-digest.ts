/**
 * K8S-POD-7 (CKV_K8S_43): every container's image is referenced by digest.
 *
 * A literal must end in `@sha256:<64 hex>`. A reference assembled from Terraform expressions
 * passes when it shows its `@` and the part after it is a literal digest or a Terraform expression
 * (a registry's digest looked up at plan time): by the image reference grammar, what follows `@`
 * is a digest or the pull fails. An image that is a single expression cannot be checked.
 */
import { isExpression, show, unprovable } from '../../core/rules/expressions';
import type { Rule } from '../../core/rules/rule';
import { judgeContainers, POD_WORKLOAD_TYPES } from './support/pod-spec';

const DIGEST = /^sha256:[0-9a-f]{64}$/;

export const POD_IMAGE_DIGEST: Rule = {
  id: 'K8S-POD-7',
  title: 'Container images are referenced by digest',
  why: 'A tag can be moved to other content at any time (by a compromised registry account or a careless push); only a digest guarantees the pod runs the image that was reviewed and mirrored.',
  fix: 'Reference the image as <repository>@sha256:<digest>, e.g. `${repositoryUrl}@${imageDigest}` from the private mirror (MirrorImage does).',
  publicIds: ['CKV_K8S_43'],
  appliesTo: POD_WORKLOAD_TYPES,
  check: (resource) =>
    judgeContainers(resource, (c) => {
      const image = c.body.image;
      if (typeof image !== 'string' || image.trim() === '') return `has no image (${show(image)})`;
      const at = image.lastIndexOf('@');
      if (at < 0) return isExpression(image) && /^\$\{[^}]*\}$/.test(image) ? `: ${unprovable('image', image)}` : `has image ${show(image)}, referenced by tag, not by digest`;
      const digest = image.slice(at + 1);
      if (DIGEST.test(digest) || (isExpression(digest) && /^\$\{[^}]*\}$/.test(digest))) return undefined;
      return `has image ${show(image)}, whose digest is not sha256:<64 hex digits>`;
    }),
};
