/**
 * Revisions as template hashes: a Deployment's template and the template of the ReplicaSet that
 * runs it (recorded: fixtures/deployment.json and fixtures/replicasets.json) give the same
 * revision, and any real change of the template gives another.
 */
import type { PodTemplateSpec, ReplicaSet } from '../../../../updater/adapters/kubernetes/api-objects';
import { canonicalJson, deploymentTemplateOf, parseRevision, templateRevision, withoutTemplateHash } from '../../../../updater/adapters/kubernetes/pod-template-revision';
import deploymentFixture from './fixtures/deployment.json';
import replicaSetList from './fixtures/replicasets.json';

const template = () => structuredClone(deploymentFixture.spec.template) as unknown as PodTemplateSpec & { spec: { containers: { image: string }[] }; metadata: { annotations: Record<string, string> } };
const replicaSet = () => structuredClone(replicaSetList.items[0]) as unknown as ReplicaSet;

describe('templateRevision', () => {
  it('is <deployment>:<16 hex digits>', () => {
    expect(templateRevision('run-controller-default', template())).toMatch(/^run-controller-default:[0-9a-f]{16}$/);
  });

  it('is the same for the Deployment template and its ReplicaSet\'s (which adds pod-template-hash)', () => {
    const rs = replicaSet();
    expect(rs.spec.template?.metadata?.labels?.['pod-template-hash']).toBe('6b7f9c8d5d');
    expect(templateRevision('run-controller-default', rs.spec.template!)).toBe(templateRevision('run-controller-default', template()));
    expect(templateRevision('run-controller-default', deploymentTemplateOf(rs)!)).toBe(templateRevision('run-controller-default', template()));
  });

  it('does not depend on key order', () => {
    const t = template();
    const reverse = (v: unknown): unknown =>
      Array.isArray(v) ? v.map(reverse) : v !== null && typeof v === 'object' ? Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reverse(x)])) : v;
    const reordered = reverse(t) as PodTemplateSpec;
    expect(JSON.stringify(reordered)).not.toBe(JSON.stringify(t));
    expect(templateRevision('d', reordered)).toBe(templateRevision('d', t));
    expect(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[{"y":2,"z":1}]},"b":1}');
  });

  it.each<[string, (t: ReturnType<typeof template>) => void]>([
    ['the controller image', (t) => void (t.spec.containers[0]!.image = t.spec.containers[0]!.image.replace(/1{64}$/, '2'.repeat(64)))],
    ['the config hash annotation', (t) => void (t.metadata.annotations['private-runner-kit/config-sha256'] = '0'.repeat(64))],
    ['an added annotation', (t) => void (t.metadata.annotations['private-runner-kit/version'] = 'v1.4.0')],
  ])('changes with %s', (_, change) => {
    const t = template();
    change(t);
    expect(templateRevision('run-controller-default', t)).not.toBe(templateRevision('run-controller-default', template()));
  });

  it('names the Deployment, so a revision of another Deployment never matches', () => {
    expect(templateRevision('run-controller-a', template())).not.toBe(templateRevision('run-controller-b', template()));
  });
});

describe('deploymentTemplateOf / withoutTemplateHash', () => {
  it('returns the ReplicaSet template without pod-template-hash, leaving the ReplicaSet untouched', () => {
    const rs = replicaSet();
    const back = deploymentTemplateOf(rs)!;
    expect(back).toEqual(deploymentFixture.spec.template);
    expect(rs.spec.template?.metadata?.labels?.['pod-template-hash']).toBe('6b7f9c8d5d');
  });

  it('drops a labels map the hash was the only entry of', () => {
    expect(withoutTemplateHash({ metadata: { labels: { 'pod-template-hash': 'x' } } })).toEqual({ metadata: {} });
  });

  it('is undefined for a ReplicaSet without a template', () => {
    expect(deploymentTemplateOf({ metadata: {}, spec: {} })).toBeUndefined();
  });
});

describe('parseRevision', () => {
  it.each([
    ['run-controller-default:3f2a9c1d0b4e5a67', { deployment: 'run-controller-default', hash: '3f2a9c1d0b4e5a67' }],
    ['arn:aws:ecs:eu-central-1:123456789012:task-definition/acme-prod-default:8', undefined],
    ['run-controller-default:3F2A9C1D0B4E5A67', undefined],
    ['run-controller-default:3f2a', undefined],
    ['', undefined],
  ])('%s', (text, expected) => expect(parseRevision(text)).toEqual(expected));
});
