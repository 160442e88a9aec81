import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { RunController, type RunControllerProps } from '../../../constructs/kubernetes/run-controller';
import { composeConfigScript, CREDENTIAL_KEYS, renderRunControllerConfig } from '../../../constructs/kubernetes/run-controller-config';
import { kubernetesStack, synthOf } from '../../support/eks';
import { kubernetesObjects, schemaErrors } from '../../support/kubernetes-objects';
import type { Json, Synthesized } from '../../support/synth';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const REQUIRED: RunControllerProps = {
  namespace: 'meshstack-runner',
  name: 'run-controller-default',
  serviceAccountName: 'run-controller-default',
  image: `123456789012.dkr.ecr.eu-central-1.amazonaws.com/prod/run-controller@${DIGEST}`,
  runnerUuid: '3f2b8c1e-5d4a-4c6b-9e7f-0a1b2c3d4e5f',
  meshstackApiUrl: 'https://federation.example.meshcloud.io',
  apiClientId: 'runner-prod',
  ownedByWorkspace: 'platform-team',
  implementations: {
    TERRAFORM: {
      image: `123456789012.dkr.ecr.eu-central-1.amazonaws.com/prod/tf-block-runner@${DIGEST}`,
      env: { EXECUTION_MODE: 'single-run' },
      resources: { requests: { cpu: '1', memory: '2Gi' }, limits: { cpu: '2', memory: '2Gi' } },
    },
  },
};
const build = (props: Partial<RunControllerProps> = {}) => {
  const stack = kubernetesStack();
  const c = new RunController(stack, 'Controller', { ...REQUIRED, ...props });
  return { s: synthOf(stack), c };
};
const podSpec = (s: Synthesized): Json => s.only('kubernetes_deployment_v1').spec.template.spec;
const RESTRICTED = {
  run_as_non_root: true,
  run_as_user: '2000',
  run_as_group: '2000',
  allow_privilege_escalation: false,
  privileged: false,
  read_only_root_filesystem: true,
  capabilities: { drop: ['ALL'] },
  seccomp_profile: { type: 'RuntimeDefault' },
};

describe('RunController (required props)', () => {
  let s: Synthesized;
  let c: RunController;
  beforeAll(() => {
    ({ s, c } = build());
  });

  it('CKV_K8S_43: runs the image by digest, in the namespace, one replica', () => {
    const d = s.only('kubernetes_deployment_v1');
    expect(d.metadata).toMatchObject({ name: 'run-controller-default', namespace: 'meshstack-runner' });
    expect(d.spec.replicas).toBe('1');
    expect(podSpec(s).container[0].image).toBe(REQUIRED.image);
    expect(podSpec(s).init_container[0].image).toBe(REQUIRED.image);
  });

  it('CKV_K8S_20/22/23/28/31/37/40: every container runs restricted (uid 2000, read-only root, no escalation, ALL dropped, RuntimeDefault)', () => {
    expect(podSpec(s).security_context).toEqual({ run_as_non_root: true, run_as_user: '2000', run_as_group: '2000', fs_group: '2000', seccomp_profile: { type: 'RuntimeDefault' } });
    for (const container of [...podSpec(s).container, ...podSpec(s).init_container]) expect(container.security_context).toEqual(RESTRICTED);
  });

  it('CKV_K8S_38: mounts the API token (the controller creates Jobs), from a ServiceAccount of its own', () => {
    expect(podSpec(s).automount_service_account_token).toBe(true);
    expect(podSpec(s).service_account_name).toBe('run-controller-default');
    expect(podSpec(s).enable_service_links).toBe(false);
  });

  it('CKV_K8S_10..13: requests and limits on every container', () => {
    expect(podSpec(s).container[0].resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } });
    expect(podSpec(s).init_container[0].resources).toEqual({ requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '100m', memory: '32Mi' } });
  });

  it('CKV_K8S_8/9: liveness and readiness on the metrics endpoint (the only one run-controller serves), from inside the pod', () => {
    const container = podSpec(s).container[0];
    expect(container.port).toEqual([{ name: 'metrics', container_port: 2112, protocol: 'TCP' }]);
    const check = { command: ['wget', '-q', '-T', '4', '-O', '/dev/null', 'http://127.0.0.1:2112/metrics'] };
    expect(container.liveness_probe).toEqual({ exec: check, initial_delay_seconds: 5, period_seconds: 20, timeout_seconds: 5, failure_threshold: 3 });
    expect(container.readiness_probe).toEqual({ exec: check, initial_delay_seconds: 5, period_seconds: 10, timeout_seconds: 5, failure_threshold: 3 });
  });

  it('writes only to emptyDirs: /tmp for scratch, a memory-backed one for the composed config', () => {
    expect(podSpec(s).volume).toEqual([
      { name: 'config', config_map: { name: expect.stringMatching(/kubernetes_config_map_v1\./), default_mode: '0444' } },
      { name: 'credentials', secret: { secret_name: 'run-controller-default-credentials', default_mode: '0440' } },
      { name: 'runtime-config', empty_dir: { medium: 'Memory', size_limit: '1Mi' } },
      { name: 'scratch', empty_dir: { size_limit: '64Mi' } },
    ]);
    expect(podSpec(s).container[0].volume_mount).toEqual([
      { name: 'runtime-config', mount_path: '/run/runner-kit', read_only: true },
      { name: 'scratch', mount_path: '/tmp' },
    ]);
  });

  it('only the init container mounts the credentials Secret; the controller gets the client secret by reference', () => {
    expect(podSpec(s).init_container[0].volume_mount.map((m: Json) => m.name)).toEqual(['config', 'credentials', 'runtime-config']);
    expect(podSpec(s).container[0].env).toEqual([
      { name: 'RUNCONTROLLER_CONFIG_FILE', value: '/run/runner-kit/config.yaml' },
      { name: 'RUNNER_API_CLIENT_SECRET', value_from: { secret_key_ref: { name: 'run-controller-default-credentials', key: 'api-client-secret' } } },
      { name: 'HOME', value: '/tmp' },
    ]);
  });

  it('without credentials: creates no Secret (created out of band), so no value can reach state', () => {
    expect(s.count('kubernetes_secret_v1')).toBe(0);
    expect(c.credentialsSecretName).toBe('run-controller-default-credentials');
  });

  it('keeps the non-secret config in a ConfigMap: namespace, API URL and client id, UUID, polling, limits, images by digest', () => {
    const cm = s.only('kubernetes_config_map_v1');
    expect(cm.metadata).toMatchObject({ name: 'run-controller-default', namespace: 'meshstack-runner' });
    expect(parse(cm.data['config.yaml'])).toEqual({
      namespace: 'meshstack-runner',
      api: { url: 'https://federation.example.meshcloud.io', clientId: 'runner-prod' },
      uuid: REQUIRED.runnerUuid,
      ownedByWorkspace: 'platform-team',
      displayName: 'run-controller-default',
      pollingIntervalSeconds: 10,
      maxConcurrentJobs: 20,
      implementations: {
        TERRAFORM: { image: REQUIRED.implementations.TERRAFORM!.image, env: { EXECUTION_MODE: 'single-run' }, resources: { requests: { cpu: '1', memory: '2Gi' }, limits: { cpu: '2', memory: '2Gi' } } },
      },
    });
    expect(cm.data['config.yaml']).not.toMatch(/crypto|privateKey|clientSecret/);
  });

  it('rolls the pods when the config changes (config hash annotation)', () => {
    expect(s.only('kubernetes_deployment_v1').spec.template.metadata.annotations).toEqual({
      'private-runner-kit/config-sha256': expect.stringMatching(/^\$\{sha256\(kubernetes_config_map_v1\..*\.data\["config.yaml"\]\)\}$/),
    });
  });

  it('rolls one pod at a time and keeps one serving (maxSurge 1, maxUnavailable 0); PDB maxUnavailable 1', () => {
    expect(s.only('kubernetes_deployment_v1').spec.strategy).toEqual({ type: 'RollingUpdate', rolling_update: { max_surge: '1', max_unavailable: '0' } });
    const pdb = s.only('kubernetes_pod_disruption_budget_v1');
    expect(pdb.spec).toEqual({ max_unavailable: '1', selector: { match_labels: { 'app.kubernetes.io/name': 'run-controller', 'app.kubernetes.io/instance': 'run-controller-default' } } });
    expect(pdb.spec.min_available).toBeUndefined();
  });

  it('every object validates against the Kubernetes schemas', () => {
    expect(schemaErrors(kubernetesObjects(s))).toEqual({});
  });
});

describe('RunController overrides', () => {
  it('GIVEN credentials THEN the Secret is written write-only (data_wo), and the pods roll with its revision', () => {
    const { s } = build({ credentials: { apiClientSecret: '${ephemeral.x.a.secret_string}', privateKeyPem: '${ephemeral.x.b.secret_string}', certificatePem: '${ephemeral.x.c.secret_string}', revision: 3 } });
    const secret = s.only('kubernetes_secret_v1');
    expect(secret.data).toBeUndefined();
    expect(secret.binary_data).toBeUndefined();
    expect(secret.data_wo).toEqual({ 'api-client-secret': '${ephemeral.x.a.secret_string}', 'private-key.pem': '${ephemeral.x.b.secret_string}', 'certificate.pem': '${ephemeral.x.c.secret_string}' });
    expect(secret.data_wo_revision).toBe(3);
    expect(secret.metadata.name).toBe('run-controller-default-credentials');
    expect(podSpec(s).volume[1].secret.secret_name).toMatch(/kubernetes_secret_v1\./);
    expect(s.only('kubernetes_deployment_v1').spec.template.metadata.annotations['private-runner-kit/credentials-revision']).toBe('3');
    expect(schemaErrors(kubernetesObjects(s))).toEqual({});
  });

  it('GIVEN replicas 0 THEN the runner is parked', () => {
    expect(build({ replicas: 0 }).s.only('kubernetes_deployment_v1').spec.replicas).toBe('0');
  });

  it('GIVEN polling, job limit, display name and a Secret name THEN they reach the config and the pod', () => {
    const { s } = build({ pollingIntervalSeconds: 30, maxConcurrentJobs: 5, displayName: 'Prod runner', credentialsSecretName: 'runner-creds' });
    const config = parse(s.only('kubernetes_config_map_v1').data['config.yaml']);
    expect(config).toMatchObject({ pollingIntervalSeconds: 30, maxConcurrentJobs: 5, displayName: 'Prod runner' });
    expect(podSpec(s).volume[1].secret.secret_name).toBe('runner-creds');
  });

  it('GIVEN controller resources THEN the container gets them', () => {
    const resources = { requests: { cpu: '200m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } };
    expect(podSpec(build({ resources }).s).container[0].resources).toEqual(resources);
  });
});

describe('RunController failures', () => {
  it.each([
    ['a tag', 'ghcr.io/meshcloud/run-controller:v1.3.0'],
    ['latest', 'ghcr.io/meshcloud/run-controller'],
    ['a short digest', 'ghcr.io/meshcloud/run-controller@sha256:abc'],
    ['a tag and a digest', `ghcr.io/meshcloud/run-controller:v1.3.0@${DIGEST}`],
  ])('fails when the image is %s, not a digest', (_, image) => {
    expect(() => build({ image })).toThrow(/is not referenced by digest/);
  });

  it('fails when an implementation image is not by digest', () => {
    expect(() => build({ implementations: { TERRAFORM: { ...REQUIRED.implementations.TERRAFORM!, image: 'ghcr.io/meshcloud/tf-block-runner:v1.3.0' } } })).toThrow(/TERRAFORM image .* is not referenced by digest/);
  });

  it('fails when no implementation is configured', () => {
    expect(() => build({ implementations: {} })).toThrow(/implementations is empty/);
  });

  it('fails when a job request exceeds its limit', () => {
    expect(() => build({ implementations: { TERRAFORM: { ...REQUIRED.implementations.TERRAFORM!, resources: { requests: { cpu: '4', memory: '2Gi' }, limits: { cpu: '2', memory: '2Gi' } } } } })).toThrow(/CPU request 4 is above its limit 2/);
  });

  it('fails when the meshStack URL is not https', () => {
    expect(() => build({ meshstackApiUrl: 'http://federation.example' })).toThrow(/must use https/);
  });

  it.each([
    ['replicas', { replicas: 11 }, /replicas 11/],
    ['pollingIntervalSeconds', { pollingIntervalSeconds: 1 }, /pollingIntervalSeconds 1/],
    ['maxConcurrentJobs', { maxConcurrentJobs: -1 }, /maxConcurrentJobs -1 must be 1 to 500/],
    ['credentials.revision', { credentials: { apiClientSecret: 'a', privateKeyPem: 'b', certificatePem: 'c', revision: 0 } }, /revision 0/],
    ['ownedByWorkspace', { ownedByWorkspace: ' ' }, /ownedByWorkspace is empty/],
  ])('fails on an out-of-range %s', (_, props, error) => {
    expect(() => build(props as Partial<RunControllerProps>)).toThrow(error);
  });
});

describe('the config file run-controller reads', () => {
  const CERT = '-----BEGIN CERTIFICATE-----\nMIIBcert\n-----END CERTIFICATE-----\n';
  const KEY = '-----BEGIN PRIVATE KEY-----\nMIIEkey\n-----END PRIVATE KEY-----\n';
  let dir: string;
  const paths = () => ({ configDir: path.join(dir, 'config'), secretDir: path.join(dir, 'secret'), outputDir: path.join(dir, 'out') });
  const run = () => execFileSync('/bin/sh', ['-c', composeConfigScript(paths(), 'set the TF_VAR_ inputs')], { encoding: 'utf8', stdio: 'pipe' });
  const writeSecret = (values: Partial<Record<keyof typeof CREDENTIAL_KEYS, string>>) => {
    for (const [k, file] of Object.entries(CREDENTIAL_KEYS)) writeFileSync(path.join(paths().secretDir, file), values[k as keyof typeof CREDENTIAL_KEYS] ?? '');
  };
  const config = renderRunControllerConfig({
    namespace: 'meshstack-runner',
    apiUrl: 'https://federation.example.meshcloud.io',
    apiClientId: 'runner: "prod" #1',
    uuid: '3f2b8c1e-5d4a-4c6b-9e7f-0a1b2c3d4e5f',
    ownedByWorkspace: 'platform-team',
    displayName: 'prod default',
    pollingIntervalSeconds: 10,
    maxConcurrentJobs: 20,
    implementations: REQUIRED.implementations,
  });

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'compose-'));
    for (const d of Object.values(paths())) mkdirSync(d);
    writeFileSync(path.join(paths().configDir, 'config.yaml'), config);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('compose-config appends certificate and key as block scalars: the file parses to what run-controller expects', () => {
    writeSecret({ apiClientSecret: 's3cret', certificate: CERT, privateKey: KEY });
    expect(run()).toMatch(/config ready/);
    const file = path.join(paths().outputDir, 'config.yaml');
    const parsed = parse(readFileSync(file, 'utf8'));
    expect(parsed.crypto).toEqual({ publicKey: CERT, privateKey: KEY });
    expect(parsed.api).toEqual({ url: 'https://federation.example.meshcloud.io', clientId: 'runner: "prod" #1' });
    expect(parsed.implementations.TERRAFORM.image).toBe(REQUIRED.implementations.TERRAFORM!.image);
    expect(readFileSync(file, 'utf8')).not.toContain('s3cret');
    expect(statSync(file).mode & 0o777).toBe(0o400);
  });

  it('compose-config also works with a key file without a trailing newline', () => {
    writeSecret({ apiClientSecret: 's', certificate: CERT.trimEnd(), privateKey: KEY.trimEnd() });
    run();
    expect(parse(readFileSync(path.join(paths().outputDir, 'config.yaml'), 'utf8')).crypto).toEqual({ publicKey: CERT, privateKey: KEY });
  });

  it.each([
    ['the API client secret is empty', { certificate: CERT, privateKey: KEY }, /credential api-client-secret is empty \(set the TF_VAR_ inputs\)/],
    ['the key is empty', { apiClientSecret: 's', certificate: CERT }, /credential private-key.pem is empty/],
    ['the certificate is not PEM', { apiClientSecret: 's', certificate: 'nope', privateKey: KEY }, /certificate.pem is not a PEM certificate/],
    ['the key is not PEM', { apiClientSecret: 's', certificate: CERT, privateKey: 'nope' }, /private-key.pem is not a PEM private key/],
  ])('compose-config refuses to start when %s, naming the fix', (_, values, error) => {
    writeSecret(values);
    let stderr = '';
    try {
      run();
    } catch (e) {
      stderr = String((e as { stderr: string }).stderr);
    }
    expect(stderr).toMatch(error);
  });

  it('the script never uses ${...}, which Terraform would interpolate', () => {
    expect(composeConfigScript(paths(), 'hint')).not.toMatch(/\$\{/);
  });
});
