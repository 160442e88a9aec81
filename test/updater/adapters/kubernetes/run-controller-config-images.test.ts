/**
 * Editing run-controller's config file as the kit renders it (the construct's own renderer makes
 * the fixture, so a change of the rendered format shows up here).
 */
import { IMPLEMENTATION_TYPES as CONSTRUCT_TYPES, renderRunControllerConfig } from '../../../../constructs/kubernetes/run-controller-config';
import {
  configSha256,
  IMPLEMENTATION_TYPES,
  implementationImagesOf,
  withImplementationImages,
} from '../../../../updater/adapters/kubernetes/run-controller-config-images';
import configMapFixture from './fixtures/configmap.json';

const REG = '123456789012.dkr.ecr.eu-central-1.amazonaws.com/private-runner-kit/acme-prod';
const WHERE = 'config.yaml of ConfigMap run-controller-default';
const resources = { requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '2', memory: '2Gi' } };
const rendered = renderRunControllerConfig({
  namespace: 'meshstack-runner',
  apiUrl: 'https://federation.demo.meshcloud.io',
  apiClientId: 'runner-acme-prod-default',
  uuid: '6f1b0a44-8d2f-4e1b-9f0a-2c7d1e3b5a90',
  ownedByWorkspace: 'platform-team',
  displayName: 'acme-prod default',
  pollingIntervalSeconds: 10,
  maxConcurrentJobs: 20,
  implementations: {
    TERRAFORM: { image: `${REG}/tf-block-runner@sha256:${'1'.repeat(64)}`, env: { EXECUTION_MODE: 'single-run' }, resources },
    GITHUB_WORKFLOW: { image: `${REG}/github-block-runner@sha256:${'1'.repeat(64)}`, env: { SPRING_PROFILES_ACTIVE: 'kubernetes' }, resources },
  },
});

describe('run-controller config images', () => {
  it('the fixture ConfigMap holds what the kit renders', () => {
    expect(configMapFixture.data['config.yaml']).toBe(rendered);
  });

  it('knows the implementation types the construct knows', () => {
    expect(IMPLEMENTATION_TYPES).toEqual(CONSTRUCT_TYPES);
  });

  it('reads the configured images', () => {
    expect(implementationImagesOf(rendered, WHERE)).toEqual({
      TERRAFORM: `${REG}/tf-block-runner@sha256:${'1'.repeat(64)}`,
      GITHUB_WORKFLOW: `${REG}/github-block-runner@sha256:${'1'.repeat(64)}`,
    });
  });

  it('replaces exactly the image lines, keeping the double quotes and every other line', () => {
    const next = withImplementationImages(rendered, { TERRAFORM: `${REG}/tf-block-runner@sha256:${'2'.repeat(64)}` }, WHERE);
    const before = rendered.split('\n');
    const after = next.split('\n');
    expect(after).toHaveLength(before.length);
    const changed = after.map((line, i) => [before[i], line]).filter(([a, b]) => a !== b);
    expect(changed).toEqual([[`    image: "${REG}/tf-block-runner@sha256:${'1'.repeat(64)}"`, `    image: "${REG}/tf-block-runner@sha256:${'2'.repeat(64)}"`]]);
  });

  it('returns the very same text when no image changes (so its hash does not move)', () => {
    const same = withImplementationImages(rendered, { TERRAFORM: `${REG}/tf-block-runner@sha256:${'1'.repeat(64)}` }, WHERE);
    expect(same).toBe(rendered);
    expect(configSha256(same)).toBe(configSha256(rendered));
  });

  it('hashes like Terraform\'s sha256(): hex of the UTF-8 text', () => {
    expect(configSha256('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(configSha256('namespace: "x"\n')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('fails for an implementation the file does not configure, naming the configured ones', () => {
    expect(() => withImplementationImages(rendered, { MANUAL: `${REG}/manual-block-runner@sha256:${'2'.repeat(64)}` }, WHERE)).toThrow(
      `${WHERE} configures no image for implementation MANUAL (configured: TERRAFORM, GITHUB_WORKFLOW); an update only replaces images of configured implementations`,
    );
  });

  it.each([
    ['not YAML', 'implementations: [unclosed', /is not valid YAML/],
    ['a list', '- a\n- b\n', /is not a YAML map/],
    ['without implementations', 'namespace: "x"\n', /has no "implementations" map/],
  ])('fails for a file that is %s', (_, text, message) => {
    expect(() => implementationImagesOf(text, WHERE)).toThrow(message);
  });
});
