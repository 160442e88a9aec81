/**
 * The implementation images in run-controller's config file (`implementations.<TYPE>.image`, the
 * images of the Jobs it starts), read and replaced in the YAML text the ConfigMap holds. Pure.
 *
 * The file is edited, not re-rendered: only the `image` scalars change, every other line keeps
 * its text (the kit renders double-quoted scalars; those stay double-quoted), so the diff a
 * rollout makes to the ConfigMap is exactly the images, and the content hash of an unchanged
 * file is unchanged.
 */
import { createHash } from 'node:crypto';
import { isScalar, isMap, parseDocument, type Document } from 'yaml';

/** Implementation types run-controller dispatches (the kit's constructs/kubernetes/run-controller-config.ts). */
export const IMPLEMENTATION_TYPES = ['TERRAFORM', 'GITHUB_WORKFLOW', 'GITLAB_PIPELINE', 'AZURE_DEVOPS_PIPELINE', 'MANUAL'] as const;
export type ImplementationType = (typeof IMPLEMENTATION_TYPES)[number];
export type ImplementationImages = Readonly<Partial<Record<ImplementationType, string>>>;

/**
 * Hex SHA-256 of the file's UTF-8 text: the value of the pod-template annotation
 * `private-runner-kit/config-sha256`, equal to Terraform's `sha256()` of the same text.
 */
export function configSha256(content: string): string {
  return createHash('sha256').update(content, 'utf8').digest('hex');
}

/** The configured image of every implementation type in the file. */
export function implementationImagesOf(content: string, where: string): ImplementationImages {
  const doc = parse(content, where);
  const implementations = doc.get('implementations', true);
  if (!isMap(implementations)) throw new Error(`${where} has no "implementations" map; run-controller needs at least implementations.TERRAFORM.image`);
  const images: Partial<Record<ImplementationType, string>> = {};
  for (const item of implementations.items) {
    const type = isScalar(item.key) ? String(item.key.value) : String(item.key);
    const image = doc.getIn(['implementations', type, 'image']);
    if ((IMPLEMENTATION_TYPES as readonly string[]).includes(type) && typeof image === 'string') images[type as ImplementationType] = image;
  }
  return images;
}

/**
 * `content` with `implementations.<TYPE>.image` set to `images[TYPE]` for every given type; the
 * text is returned unchanged when no image differs. Throws when the file is not YAML, or a given
 * type is not configured in it (adding an implementation needs its resources and env: that is a
 * deploy, not an update).
 */
export function withImplementationImages(content: string, images: ImplementationImages, where: string): string {
  const doc = parse(content, where);
  const configured = Object.keys(implementationImagesOf(content, where));
  let changed = false;
  for (const [type, image] of Object.entries(images) as [ImplementationType, string][]) {
    const node = doc.getIn(['implementations', type, 'image'], true);
    if (!isScalar(node) || typeof node.value !== 'string') {
      throw new Error(
        `${where} configures no image for implementation ${type} (configured: ${configured.join(', ') || 'none'}); ` +
          'an update only replaces images of configured implementations; add the implementation to the runner config and deploy',
      );
    }
    if (node.value !== image) {
      node.value = image;
      changed = true;
    }
  }
  return changed ? doc.toString({ lineWidth: 0 }) : content;
}

function parse(content: string, where: string): Document {
  const doc = parseDocument(content);
  if (doc.errors.length > 0) throw new Error(`${where} is not valid YAML: ${doc.errors[0]!.message.split('\n')[0]}`);
  if (!isMap(doc.contents)) throw new Error(`${where} is not a YAML map; expected run-controller's config file (namespace, api, implementations, ...)`);
  return doc;
}
