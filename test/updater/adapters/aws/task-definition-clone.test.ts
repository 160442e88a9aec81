import type { DescribeTaskDefinitionCommandOutput, TaskDefinition } from '@aws-sdk/client-ecs';
import { VERSION_TAG_KEY, cloneTaskDefinitionWithImage, isMirrorImage } from '../../../../updater/adapters/aws/task-definition-clone';
import describedJson from './fixtures/describe-task-definition.json';

const MIRROR = '123456789012.dkr.ecr.eu-central-1.amazonaws.com/private-runner-kit/acme-prod/tf-block-runner';
const NEW_DIGEST = `sha256:${'2'.repeat(64)}`;
const NEW_IMAGE = `${MIRROR}@${NEW_DIGEST}`;
const READ_ONLY = ['taskDefinitionArn', 'revision', 'status', 'requiresAttributes', 'compatibilities', 'registeredAt', 'registeredBy', 'deregisteredAt', 'deleteRequestedAt'];

/** A fresh copy of the fixture, shaped as the SDK returns it. */
function described(): DescribeTaskDefinitionCommandOutput {
  return structuredClone(describedJson) as unknown as DescribeTaskDefinitionCommandOutput;
}

function withoutReadOnly(td: TaskDefinition): Record<string, unknown> {
  return Object.fromEntries(Object.entries(td).filter(([key]) => !READ_ONLY.includes(key)));
}

describe('cloneTaskDefinitionWithImage on a DescribeTaskDefinition answer of the kit\'s hardened task', () => {
  const input = described();
  const request = cloneTaskDefinitionWithImage(input, { mirrorRepositoryUrl: MIRROR, image: NEW_IMAGE, version: 'v1.4.0' });

  it('keeps every registerable setting and changes only the mirror images', () => {
    const expected = withoutReadOnly(described().taskDefinition!) as { containerDefinitions: { image: string }[] };
    expected.containerDefinitions[0].image = NEW_IMAGE;
    expected.containerDefinitions[1].image = NEW_IMAGE;
    const { tags, ...rest } = request;
    expect(rest).toEqual(expected);
    expect(tags).toBeDefined();
  });

  it('copies every registerable field present, field by field', () => {
    expect(Object.keys(request).sort()).toEqual(
      [
        'containerDefinitions', 'cpu', 'enableFaultInjection', 'ephemeralStorage', 'executionRoleArn', 'family', 'memory',
        'networkMode', 'pidMode', 'placementConstraints', 'requiresCompatibilities', 'runtimePlatform', 'tags', 'taskRoleArn', 'volumes',
      ].sort(),
    );
    expect(request.family).toBe('acme-prod-default');
    expect(request.taskRoleArn).toBe('arn:aws:iam::123456789012:role/acme-prod-default-task');
    expect(request.executionRoleArn).toBe('arn:aws:iam::123456789012:role/acme-prod-default-exec');
    expect(request.enableFaultInjection).toBe(false);
    expect(request.ephemeralStorage).toEqual({ sizeInGiB: 30 });
  });

  it('leaves out every read-only field', () => {
    for (const field of READ_ONLY) expect(request).not.toHaveProperty(field);
  });

  it('keeps the hardening of both runner containers unchanged', () => {
    const [init, runner] = request.containerDefinitions!;
    expect(init).toMatchObject({ name: 'volume-init', user: '0', readonlyRootFilesystem: true, privileged: false, essential: false });
    expect(init.linuxParameters?.capabilities?.drop).toHaveLength(13);
    expect(runner).toMatchObject({ name: 'runner', user: '2000:2000', readonlyRootFilesystem: true, dependsOn: [{ containerName: 'volume-init', condition: 'SUCCESS' }] });
    expect(runner.linuxParameters).toEqual({ capabilities: { drop: ['ALL'] }, initProcessEnabled: true });
    expect(runner.secrets).toEqual(described().taskDefinition!.containerDefinitions![1].secrets);
  });

  it('leaves a container of another image (a sidecar) alone', () => {
    expect(request.containerDefinitions![2].image).toBe('public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.4');
  });

  it('sets the version tag in place, keeps the other tags, drops reserved aws: tags', () => {
    expect(request.tags).toEqual([
      { key: 'private-runner-kit:target', value: 'acme-prod' },
      { key: 'private-runner-kit:runner', value: 'default' },
      { key: VERSION_TAG_KEY, value: 'v1.4.0' },
    ]);
  });

  it('does not modify its input', () => {
    expect(input).toEqual(described());
  });
});

describe('cloneTaskDefinitionWithImage edge cases', () => {
  it('adds the version tag when the revision has none, also without any tags', () => {
    const d = described();
    delete d.tags;
    expect(cloneTaskDefinitionWithImage(d, { mirrorRepositoryUrl: MIRROR, image: NEW_IMAGE, version: 'v1.4.0' }).tags).toEqual([{ key: VERSION_TAG_KEY, value: 'v1.4.0' }]);
  });

  it('replaces a mirror image referenced by tag (a first deployment by tag)', () => {
    const d = described();
    d.taskDefinition!.containerDefinitions![1].image = `${MIRROR}:v1.3.0`;
    const request = cloneTaskDefinitionWithImage(d, { mirrorRepositoryUrl: MIRROR, image: NEW_IMAGE, version: 'v1.4.0' });
    expect(request.containerDefinitions![1].image).toBe(NEW_IMAGE);
  });

  it('copies the fields only EC2 and App Mesh tasks use (proxy, IPC mode, accelerators, placement)', () => {
    const d = described();
    const td = d.taskDefinition!;
    td.ipcMode = 'task';
    td.proxyConfiguration = { type: 'APPMESH', containerName: 'envoy', properties: [{ name: 'AppPorts', value: '8080' }] };
    td.inferenceAccelerators = [{ deviceName: 'device1', deviceType: 'eia2.medium' }];
    td.placementConstraints = [{ type: 'memberOf', expression: 'attribute:ecs.availability-zone in [eu-central-1a]' }];
    const request = cloneTaskDefinitionWithImage(d, { mirrorRepositoryUrl: MIRROR, image: NEW_IMAGE, version: 'v1.4.0' });
    expect(request.ipcMode).toBe('task');
    expect(request.proxyConfiguration).toEqual(td.proxyConfiguration);
    expect(request.inferenceAccelerators).toEqual(td.inferenceAccelerators);
    expect(request.placementConstraints).toEqual(td.placementConstraints);
  });

  it('fails when no container runs a mirror image, naming the containers and the fix', () => {
    const d = described();
    for (const c of d.taskDefinition!.containerDefinitions!) c.image = 'ghcr.io/meshcloud/tf-block-runner:v1.3.0';
    expect(() => cloneTaskDefinitionWithImage(d, { mirrorRepositoryUrl: MIRROR, image: NEW_IMAGE, version: 'v1.4.0' })).toThrow(
      /task definition arn:aws:ecs:eu-central-1:123456789012:task-definition\/acme-prod-default:7 has no container running an image of the mirror .*runner=ghcr\.io\/meshcloud\/tf-block-runner:v1\.3\.0.*set mirrorRepositoryUrl/,
    );
  });

  it('fails when the answer has no task definition or no family', () => {
    expect(() => cloneTaskDefinitionWithImage({}, { mirrorRepositoryUrl: MIRROR, image: NEW_IMAGE, version: 'v1' })).toThrow(/without a taskDefinition/);
    const d = described();
    delete d.taskDefinition!.family;
    expect(() => cloneTaskDefinitionWithImage(d, { mirrorRepositoryUrl: MIRROR, image: NEW_IMAGE, version: 'v1' })).toThrow(/has no family/);
  });

  it.each([
    [`${MIRROR}@sha256:${'a'.repeat(64)}`, true],
    [`${MIRROR}:v1.3.0`, true],
    [`${MIRROR}-dev:v1.3.0`, false],
    [`${MIRROR}/sub:v1.3.0`, false],
    ['ghcr.io/meshcloud/tf-block-runner:v1.3.0', false],
  ])('isMirrorImage(%s) is %s', (image, expected) => {
    expect(isMirrorImage(image, MIRROR)).toBe(expected);
  });
});
