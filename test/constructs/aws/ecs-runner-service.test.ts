import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { INIT_DROPPED_CAPABILITIES } from '../../../constructs/aws/ecs-runner-service';
import { RUNNER_CONFIG_YAML } from '../../../constructs/core/runner-volumes';
import { REPO_ROOT, exampleTarget, synthConfig, Synthesized, type Json } from '../../support/synth';
import { TEST_CA_PEM, TEST_KNOWN_HOSTS } from '../../support/trust-material';

describe('EcsRunnerService with the example runner', () => {
  let s: Synthesized;
  let containers: Json[];
  let runner: Json;
  let init: Json;
  let seed: Json;
  beforeAll(() => {
    s = synthConfig(exampleTarget().config);
    containers = JSON.parse(s.only('aws_ecs_task_definition').container_definitions);
    runner = containers.find((c) => c.name === 'runner')!;
    init = containers.find((c) => c.name === 'volume-init')!;
    seed = containers.find((c) => c.name === 'seed')!;
  });

  it('runs on Fargate in awsvpc mode with the configured size and task-local volumes for every path the image writes', () => {
    expect(s.only('aws_ecs_task_definition')).toMatchObject({
      family: 'ecsexample-default',
      requires_compatibilities: ['FARGATE'],
      network_mode: 'awsvpc',
      cpu: '1024',
      memory: '2048',
      runtime_platform: { operating_system_family: 'LINUX', cpu_architecture: 'X86_64' },
      volume: [{ name: 'scratch' }, { name: 'runner-files' }, { name: 'nix' }, { name: 'home' }],
    });
    expect(containers.map((c) => c.name)).toEqual(['volume-init', 'seed', 'runner']);
  });

  it('CKV_AWS_336/334/335: every container has a read-only root filesystem, are not privileged, no host PID', () => {
    for (const c of containers) {
      expect(c.readonlyRootFilesystem).toBe(true);
      expect(c.privileged).toBe(false);
      expect(c.pidMode).toBeUndefined();
    }
  });

  it('runs the runner as uid 2000 with all capabilities dropped and an init process', () => {
    expect(runner.user).toBe('2000:2000');
    expect(runner.linuxParameters).toEqual({ capabilities: { drop: ['ALL'] }, initProcessEnabled: true });
    expect(runner.essential).toBe(true);
  });

  it('configures the runner through env vars, the client secret from Secrets Manager and the key as a file', () => {
    const env = Object.fromEntries(runner.environment.map((e: Json) => [e.name, e.value]));
    expect(env).toEqual({
      HOME: '/home/meshcloud',
      PORT: '8080',
      RUNNER_API_CLIENT_ID: 'runner-ecsexample',
      RUNNER_API_URL: 'https://federation.example.meshcloud.io',
      RUNNER_CONFIG_FILE: '/run/runner-kit/runner-config.yml',
      RUNNER_PRIVATE_KEY_FILE: '/run/runner-kit/private-key.pem',
      RUNNER_UUID: '3f2b8c1e-5d4a-4c6b-9e7f-0a1b2c3d4e5f',
    });
    expect(runner.secrets).toEqual([{ name: 'RUNNER_API_CLIENT_SECRET', valueFrom: expect.stringMatching(/ApiClientSecret.*\.arn\}$/) }]);
    // The private key never enters the runner's environment.
    expect(JSON.stringify(runner)).not.toMatch(/PrivateKey.*\.arn/);
    expect(runner.mountPoints).toEqual([
      { sourceVolume: 'scratch', containerPath: '/tmp', readOnly: false },
      { sourceVolume: 'runner-files', containerPath: '/run/runner-kit', readOnly: true },
      { sourceVolume: 'nix', containerPath: '/nix', readOnly: false },
      { sourceVolume: 'home', containerPath: '/home/meshcloud', readOnly: false },
    ]);
    expect(runner.dependsOn).toEqual([
      { containerName: 'volume-init', condition: 'SUCCESS' },
      { containerName: 'seed', condition: 'SUCCESS' },
    ]);
  });

  it('health-checks /healthz on 8080 and ships logs to its own log group', () => {
    expect(runner.healthCheck.command).toEqual(['CMD-SHELL', 'curl -fsS -o /dev/null http://127.0.0.1:8080/healthz || exit 1']);
    expect(runner.logConfiguration).toEqual({
      logDriver: 'awslogs',
      options: { 'awslogs-group': expect.stringMatching(/LogGroup.*\.name\}$/), 'awslogs-region': 'eu-central-1', 'awslogs-stream-prefix': 'runner' },
    });
    expect(runner.portMappings).toBeUndefined();
  });

  it('volume-init is root with only CAP_CHOWN, not essential, and the only holder of the private key', () => {
    expect(init).toMatchObject({ essential: false, user: '0', entryPoint: ['/bin/sh', '-c'] });
    expect(init.linuxParameters.capabilities.drop).toEqual([...INIT_DROPPED_CAPABILITIES]);
    expect(init.linuxParameters.capabilities.drop).not.toContain('CHOWN');
    expect(init.linuxParameters.capabilities.add).toBeUndefined();
    expect(init.secrets.map((x: Json) => x.name)).toEqual(['RUNNER_API_CLIENT_SECRET', 'RUNNER_PRIVATE_KEY_PEM']);
    expect(init.command[0]).not.toContain('${');
  });

  it('seed runs as uid 2000 without capabilities or secrets, after volume-init, and sees the volumes beside the image\'s own paths', () => {
    expect(seed).toMatchObject({ essential: false, user: '2000:2000', entryPoint: ['/bin/sh', '-c'], linuxParameters: { capabilities: { drop: ['ALL'] } } });
    expect(seed.secrets).toBeUndefined();
    expect(seed.environment).toBeUndefined();
    expect(seed.dependsOn).toEqual([{ containerName: 'volume-init', condition: 'SUCCESS' }]);
    expect(seed.mountPoints).toEqual([
      { sourceVolume: 'nix', containerPath: '/seed/nix', readOnly: false },
      { sourceVolume: 'home', containerPath: '/seed/home', readOnly: false },
    ]);
    expect(seed.command[0]).toContain('cp -a /nix/. /seed/nix/');
    expect(seed.command[0]).toContain('cp -a /home/meshcloud/. /seed/home/');
    expect(seed.command[0]).not.toContain('${');
    expect(init.mountPoints.map((m: Json) => m.containerPath)).toEqual(['/tmp', '/run/runner-kit', '/seed/nix', '/seed/home']);
  });

  it('the runner config file overrides the image default (which carries a sample key and basic auth)', () => {
    expect(RUNNER_CONFIG_YAML).not.toMatch(/privateKey|password|user:/);
    expect(RUNNER_CONFIG_YAML).toContain('workingDir: /tmp/runner/wd');
  });

  it('CKV_AWS_249: execution and task roles differ; the task role holds no permissions', () => {
    const roles: Json[] = s.resources('aws_iam_role').map(([id, b]) => ({ id, ...b }));
    const exec = roles.find((r) => r.id.includes('ExecutionRole'))!;
    const task = roles.find((r) => r.id.includes('TaskRole'))!;
    expect(exec.name).toBe('ecsexample-default-exec');
    expect(task.name).toBe('ecsexample-default-task');
    expect(s.resources('aws_iam_role_policy').filter(([id]) => id.includes('TaskRole'))).toHaveLength(0);
    expect(s.count('aws_iam_role_policy_attachment')).toBe(0);
    for (const r of [exec, task]) {
      const trust = Synthesized.policy(r.assume_role_policy).Statement[0];
      expect(trust.Principal).toEqual({ Service: 'ecs-tasks.amazonaws.com' });
      expect(trust.Condition.StringEquals['aws:SourceAccount']).toBeDefined();
      expect(trust.Condition.ArnLike['aws:SourceArn']).toMatch(/^arn:\$\{.*\}:ecs:eu-central-1:\$\{.*\}:\*$/);
    }
  });

  it('the execution role reads exactly the two secrets, decrypts only via Secrets Manager, pulls only from the mirror, writes only its logs', () => {
    const policy = Synthesized.policy(s.find('aws_iam_role_policy', 'ExecutionRole').policy);
    const bySid = Object.fromEntries(policy.Statement.map((st: Json) => [st.Sid, st]));
    expect(Object.keys(bySid)).toEqual([
      'ReadRunnerSecrets', 'DecryptRunnerSecretsViaSecretsManager', 'PullRunnerImageFromMirror', 'LogInToMirrorForPull', 'CreateRunnerLogStreams', 'WriteRunnerLogs',
    ]);
    expect(bySid.PullRunnerImageFromMirror).toMatchObject({
      Action: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
      Resource: expect.stringMatching(/:ecr:eu-central-1:.*:repository\/ecsexample\/tf-block-runner$/),
    });
    // GetAuthorizationToken supports no resource scoping (documented on the permission).
    expect(bySid.LogInToMirrorForPull).toMatchObject({ Action: 'ecr:GetAuthorizationToken', Resource: '*' });
    expect(bySid.ReadRunnerSecrets.Action).toBe('secretsmanager:GetSecretValue');
    expect(bySid.ReadRunnerSecrets.Resource).toEqual([expect.stringMatching(/ApiClientSecret.*\.arn\}$/), expect.stringMatching(/PrivateKey.*\.arn\}$/)]);
    expect(bySid.DecryptRunnerSecretsViaSecretsManager).toMatchObject({ Action: 'kms:Decrypt', Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.eu-central-1.amazonaws.com' } } });
    expect(bySid.WriteRunnerLogs.Resource).toMatch(/LogGroup.*\.arn\}:log-stream:\*$/);
    for (const st of policy.Statement) {
      expect(st.Action).not.toContain('*');
      if (st.Sid !== 'LogInToMirrorForPull') expect(st.Resource).not.toBe('*');
    }
  });

  it('runs the bootstrapped image by digest from the mirror, and leaves the revision to the updater after the first deploy', () => {
    const containers = JSON.parse(s.only('aws_ecs_task_definition').container_definitions);
    for (const c of containers) expect(c.image).toBe('${jsondecode(aws_lambda_invocation.Updates_Bootstrap_4B209B45.result).runners.default.image}');
    expect(s.only('aws_ecs_service').lifecycle.ignore_changes).toEqual(['availability_zone_rebalancing', 'task_definition']);
  });

  it('CKV_AWS_333: the service runs in private subnets without a public IP, rolls back failed deployments, no exec', () => {
    const svc = s.only('aws_ecs_service');
    expect(svc).toMatchObject({
      name: 'ecsexample-default',
      launch_type: 'FARGATE',
      desired_count: 1,
      enable_execute_command: false,
      deployment_circuit_breaker: { enable: true, rollback: true },
      deployment_minimum_healthy_percent: 100,
      network_configuration: { assign_public_ip: false },
    });
    expect(svc.network_configuration.subnets).toEqual([expect.stringMatching(/PrivateSubnet1/), expect.stringMatching(/PrivateSubnet2/)]);
    expect(svc.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/secretsmanager_secret_version/)]));
  });

  it('CKV_AWS_158/66: the runner log group is KMS-encrypted with retention', () => {
    expect(s.find('aws_cloudwatch_log_group', 'Runner-default_LogGroup')).toMatchObject({
      name: '/private-runner-kit/ecsexample/runners/default',
      retention_in_days: 90,
      kms_key_id: expect.stringMatching(/aws_kms_key/),
    });
  });

  it('alarms when fewer tasks than desired run for the configured minutes, treating no data as failure', () => {
    expect(s.find('aws_cloudwatch_metric_alarm', 'RunningTasksBelowDesired')).toMatchObject({
      namespace: 'ECS/ContainerInsights',
      metric_name: 'RunningTaskCount',
      comparison_operator: 'LessThanThreshold',
      threshold: 1,
      period: 60,
      evaluation_periods: 10,
      datapoints_to_alarm: 10,
      treat_missing_data: 'breaching',
      alarm_actions: [expect.stringMatching(/aws_sns_topic/)],
    });
  });
});

describe('EcsRunnerService overrides', () => {
  it('GIVEN arm64, 2 vCPU / 4 GiB and 3 replicas THEN the task and alarm follow', () => {
    const s = synthConfig(exampleTarget((t) => Object.assign(t.runners.default, { architecture: 'arm64', vcpu: 2, memoryMiB: 4096, replicas: 3 })).config);
    expect(s.only('aws_ecs_task_definition')).toMatchObject({ cpu: '2048', memory: '4096', runtime_platform: { cpu_architecture: 'ARM64' } });
    expect(s.only('aws_ecs_service').desired_count).toBe(3);
    expect(s.find('aws_cloudwatch_metric_alarm', 'RunningTasksBelowDesired').threshold).toBe(3);
  });

  it('GIVEN replicas 0 (parked) THEN no alarm is created', () => {
    const s = synthConfig(exampleTarget((t) => (t.runners.default.replicas = 0)).config);
    expect(s.resources('aws_cloudwatch_metric_alarm').filter(([id]) => id.includes('RunningTasksBelowDesired'))).toEqual([]);
  });
});

/** The image's facts (data/runner-image/tf-block-runner.json): where it writes at run time. */
const IMAGE = JSON.parse(readFileSync(path.join(REPO_ROOT, 'data', 'runner-image', 'tf-block-runner.json'), 'utf8')) as {
  user: { uid: number; home: string };
  writePaths: { path: string; seededFromImage: boolean }[];
  trust: { caBundle: string; customCaDir: string };
};
const under = (p: string, dir: string) => p === dir || p.startsWith(`${dir}/`);

describe('EcsRunnerService against the image\'s own facts (read-only root filesystem)', () => {
  const taskOf = (patch: (t: Json) => void = () => undefined) => {
    const s = synthConfig(exampleTarget(patch).config);
    const containers: Json[] = JSON.parse(s.only('aws_ecs_task_definition').container_definitions);
    return { containers, by: (name: string) => containers.find((c) => c.name === name)! };
  };

  it.each(IMAGE.writePaths.map((w) => [w.path, w] as const))('the runner can write %s: a writable volume is mounted there or above it', (_p, w) => {
    const { by } = taskOf();
    const mount = by('runner').mountPoints.filter((m: Json) => under(w.path, m.containerPath)).sort((a: Json, b: Json) => b.containerPath.length - a.containerPath.length)[0];
    expect(mount).toBeDefined();
    expect(mount.readOnly).toBe(false);
  });

  it.each(IMAGE.writePaths.filter((w) => w.seededFromImage).map((w) => [w.path] as const))('%s starts as the image\'s own content: seed copies it into the volume before the runner starts', (p) => {
    const { by } = taskOf();
    const volume = by('runner').mountPoints.find((m: Json) => m.containerPath === p).sourceVolume;
    const seedMount = by('seed').mountPoints.find((m: Json) => m.sourceVolume === volume);
    expect(by('seed').command[0]).toContain(`cp -a ${p}/. ${seedMount.containerPath}/`);
    // seed sees the image's path itself (no volume over it) and runs as the image's user.
    expect(by('seed').mountPoints.map((m: Json) => m.containerPath)).not.toContain(p);
    expect(by('seed').user).toBe(`${IMAGE.user.uid}:${IMAGE.user.uid}`);
  });

  it('HOME is the image user\'s home (its PATH and nix profile live there), never moved', () => {
    const env = Object.fromEntries(taskOf().by('runner').environment.map((e: Json) => [e.name, e.value]));
    expect(env.HOME).toBe(IMAGE.user.home);
  });

  it('nothing is mounted over the entrypoint\'s custom CA directory: with a read-only /etc/ssl/certs its update-ca-certificates would stop the container', () => {
    for (const patch of [() => undefined, (t: Json) => (t.trust = { caCertificates: TEST_CA_PEM })]) {
      const { containers } = taskOf(patch);
      for (const c of containers.filter((x) => x.name === 'runner')) expect(c.mountPoints.map((m: Json) => m.containerPath)).not.toContain(IMAGE.trust.customCaDir);
    }
  });

  it('GIVEN trust.caCertificates THEN seed builds the bundle (image bundle + the CAs) into a volume the runner reads at /etc/ssl/certs, read-only', () => {
    const { by } = taskOf((t) => (t.trust = { caCertificates: TEST_CA_PEM }));
    expect(by('runner').mountPoints).toContainEqual({ sourceVolume: 'ca-certificates', containerPath: path.dirname(IMAGE.trust.caBundle), readOnly: true });
    expect(by('seed').mountPoints).toContainEqual({ sourceVolume: 'ca-certificates', containerPath: '/seed/certs', readOnly: false });
    expect(by('seed').environment).toEqual([{ name: 'KIT_EXTRA_CA_CERTIFICATES', value: TEST_CA_PEM }]);
    expect(by('seed').command[0]).toContain(`{ cat ${IMAGE.trust.caBundle}; echo; cat /seed/certs/private-runner-kit-extra-ca.pem; } > /seed/certs/ca-certificates.crt.tmp`);
    // Public material only: the CAs never reach volume-init or the runner's environment.
    expect(JSON.stringify(by('volume-init'))).not.toContain('BEGIN CERTIFICATE');
    expect(JSON.stringify(by('runner'))).not.toContain('BEGIN CERTIFICATE');
  });

  it('GIVEN trust.sshKnownHosts THEN seed appends them to ~/.ssh/known_hosts (the image\'s own list at SSH_KNOWN_HOSTS stays)', () => {
    const { by } = taskOf((t) => (t.trust = { sshKnownHosts: TEST_KNOWN_HOSTS }));
    expect(by('seed').environment).toEqual([{ name: 'KIT_SSH_KNOWN_HOSTS', value: TEST_KNOWN_HOSTS }]);
    expect(by('seed').command[0]).toContain('>> /seed/home/.ssh/known_hosts');
    const env = Object.fromEntries(by('runner').environment.map((e: Json) => [e.name, e.value]));
    expect(env.SSH_KNOWN_HOSTS).toBeUndefined();
    expect(by('runner').mountPoints.map((m: Json) => m.sourceVolume)).not.toContain('ca-certificates');
  });
});
