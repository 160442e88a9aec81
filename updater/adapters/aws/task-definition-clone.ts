/**
 * The first half of an ECS rollout: a new task-definition revision equal to the running one except
 * the runner image. Pure, so what the updater registers can be checked field by field against a
 * DescribeTaskDefinition answer without any AWS call.
 */
import type {
  DescribeTaskDefinitionCommandOutput,
  RegisterTaskDefinitionCommandInput,
  Tag,
  TaskDefinition,
} from '@aws-sdk/client-ecs';

/** Tag the updater sets on every revision it registers: the release the revision runs, e.g. `v1.3.0`. */
export const VERSION_TAG_KEY = 'runner-kit:version';

/**
 * What happens to each field DescribeTaskDefinition returns. `copy`: sent to RegisterTaskDefinition
 * unchanged. `read-only`: set by ECS, refused or meaningless on registration.
 *
 * Every field of the SDK's `TaskDefinition` must be listed (`satisfies` checks it), so an SDK
 * upgrade that adds a field fails type checking here until someone decides whether a new revision
 * must carry it. Silently dropping a setting would change the runner's security posture.
 */
const FIELD_HANDLING = {
  family: 'copy',
  taskRoleArn: 'copy',
  executionRoleArn: 'copy',
  networkMode: 'copy',
  containerDefinitions: 'copy',
  volumes: 'copy',
  placementConstraints: 'copy',
  requiresCompatibilities: 'copy',
  cpu: 'copy',
  memory: 'copy',
  pidMode: 'copy',
  ipcMode: 'copy',
  proxyConfiguration: 'copy',
  inferenceAccelerators: 'copy',
  ephemeralStorage: 'copy',
  runtimePlatform: 'copy',
  enableFaultInjection: 'copy',
  taskDefinitionArn: 'read-only',
  revision: 'read-only',
  status: 'read-only',
  requiresAttributes: 'read-only',
  compatibilities: 'read-only',
  registeredAt: 'read-only',
  registeredBy: 'read-only',
  deregisteredAt: 'read-only',
  deleteRequestedAt: 'read-only',
} as const satisfies Record<keyof TaskDefinition, 'copy' | 'read-only'>;

type CopiedField = { [K in keyof typeof FIELD_HANDLING]: (typeof FIELD_HANDLING)[K] extends 'copy' ? K : never }[keyof typeof FIELD_HANDLING];

/** The registerable fields, checked to exist with the same name on RegisterTaskDefinition. */
const COPIED_FIELDS = (Object.keys(FIELD_HANDLING) as (keyof typeof FIELD_HANDLING)[]).filter(
  (field): field is CopiedField => FIELD_HANDLING[field] === 'copy',
) satisfies readonly (keyof RegisterTaskDefinitionCommandInput)[];

/** The change a rollout makes to the running task definition. */
export interface TaskDefinitionImageChange {
  /**
   * The mirror repository without tag or digest, e.g.
   * `123456789012.dkr.ecr.eu-central-1.amazonaws.com/private-runner-kit/t/tf-block-runner`. Every
   * container whose image is this repository (by tag or by digest) gets the new image; containers
   * of other images (sidecars) keep theirs.
   */
  readonly mirrorRepositoryUrl: string;
  /** The new full reference, normally `<mirrorRepositoryUrl>@sha256:...`. */
  readonly image: string;
  /** The release the new image is, recorded in the {@link VERSION_TAG_KEY} tag. */
  readonly version: string;
}

/**
 * Builds the RegisterTaskDefinition input for a new revision of `described` (a
 * DescribeTaskDefinition answer, asked with `include: ['TAGS']`) that differs only in:
 * - the `image` of every container running an image of `change.mirrorRepositoryUrl`;
 * - the tag {@link VERSION_TAG_KEY}, set to `change.version` (added, or replaced in place).
 *
 * Every registerable field that is present is copied, deep-cloned, so the input is never
 * modified; read-only fields (ARN, revision, status, requiresAttributes, compatibilities,
 * registeredAt/By, deregisteredAt, deleteRequestedAt) are left out. Tags with the reserved `aws:`
 * prefix (set by CloudFormation and other AWS services) cannot be registered and are left out too.
 *
 * Throws when the answer holds no task definition or family, or when no container runs an image
 * of the mirror: a task definition the kit did not produce is never modified by guesswork.
 */
export function cloneTaskDefinitionWithImage(
  described: Pick<DescribeTaskDefinitionCommandOutput, 'taskDefinition' | 'tags'>,
  change: TaskDefinitionImageChange,
): RegisterTaskDefinitionCommandInput {
  const source = described.taskDefinition;
  if (!source) throw new Error('DescribeTaskDefinition answered without a taskDefinition; cannot register a new revision of it');
  const where = `task definition ${source.taskDefinitionArn ?? source.family ?? '(unnamed)'}`;
  if (!source.family) throw new Error(`${where} has no family; cannot register a new revision of it`);
  if (!change.version) throw new Error(`${where}: the version to record in tag ${VERSION_TAG_KEY} is empty`);

  const request: Record<string, unknown> = {};
  for (const field of COPIED_FIELDS) {
    const value = source[field];
    if (value !== undefined) request[field] = structuredClone(value);
  }
  const containers = (request.containerDefinitions ?? []) as NonNullable<TaskDefinition['containerDefinitions']>;
  let replaced = 0;
  for (const container of containers) {
    if (container.image !== undefined && isMirrorImage(container.image, change.mirrorRepositoryUrl)) {
      container.image = change.image;
      replaced++;
    }
  }
  if (replaced === 0) {
    const images = containers.map((c) => `${c.name ?? '?'}=${c.image ?? '?'}`).join(', ') || 'none';
    throw new Error(
      `${where} has no container running an image of the mirror ${change.mirrorRepositoryUrl} (containers: ${images}); ` +
        'deploy the runner with the kit first, or set mirrorRepositoryUrl to the repository its containers use',
    );
  }
  request.tags = withVersionTag(described.tags ?? [], change.version);
  return request as unknown as RegisterTaskDefinitionCommandInput;
}

/** True when `image` is `repositoryUrl@<digest>` or `repositoryUrl:<tag>`, not a longer repository name. */
export function isMirrorImage(image: string, repositoryUrl: string): boolean {
  return image.startsWith(`${repositoryUrl}@`) || image.startsWith(`${repositoryUrl}:`);
}

function withVersionTag(tags: readonly Tag[], version: string): Tag[] {
  const kept = tags.filter((t) => t.key !== undefined && !t.key.startsWith('aws:')).map((t) => ({ ...t }));
  const existing = kept.find((t) => t.key === VERSION_TAG_KEY);
  if (existing) existing.value = version;
  else kept.push({ key: VERSION_TAG_KEY, value: version });
  return kept;
}
