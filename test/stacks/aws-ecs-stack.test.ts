import { exampleTarget, synthConfig, Synthesized, type Json } from '../support/synth';
import { COMMON_OUTPUTS } from '../support/outputs';

describe('AwsEcsStack (examples/aws-ecs.yaml)', () => {
  let s: Synthesized;
  beforeAll(() => {
    s = synthConfig(exampleTarget().config);
  });

  it('sets the region and tags every resource with the kit tags and the customer tags', () => {
    const provider = s.json.provider.aws[0];
    expect(provider.region).toBe('eu-central-1');
    expect(provider.default_tags[0].tags).toEqual({
      'cost-center': 'platform-engineering',
      'managed-by': 'private-runner-kit',
      'runner-kit-target': 'ecsexample',
    });
  });

  it('pins hashicorp/aws 5.100.0 and keeps state locally by default', () => {
    expect(s.json.terraform.required_providers.aws.version).toBe('5.100.0');
    // Absolute, outside cdktf.out: each synthesis replaces cdktf.out, and the state must survive it.
    expect(s.json.terraform.backend.local.path).toBe(require('node:path').resolve(process.cwd(), 'terraform.ecsexample.tfstate'));
  });

  it('GIVEN no aws.endpoint THEN the provider has no emulator settings', () => {
    const provider = s.json.provider.aws[0];
    expect(provider.endpoints).toBeUndefined();
    expect(provider.skip_credentials_validation).toBeUndefined();
    expect(provider.access_key).toBeUndefined();
  });

  it('outputs what customers and onboarding scripts read, each with a description', () => {
    const outputs = s.json.output;
    // The outputs every kind writes (same names on every cloud), then the CaaS ones, then ECS's own.
    const expected = [...COMMON_OUTPUTS, 'runner_services', 'runner_logs', 'runner_secrets', 'cluster_name', 'cluster_arn', 'runner_task_families', 'public_subnet_ids', 'runner_security_group_id', 'updater_on_demand'];
    expect(Object.keys(outputs).sort()).toEqual([...expected].sort());
    for (const name of expected) expect(outputs[name].description.length).toBeGreaterThan(10);
    expect(outputs.runner_secrets.value).toEqual({ default: { api_client_secret: expect.stringMatching(/^\$\{aws_secretsmanager_secret\./), private_key: expect.stringMatching(/^\$\{aws_secretsmanager_secret\./) } });
    expect(outputs.secret_inputs.value).toEqual(['runner_default_api_client_secret', 'runner_default_private_key']);
    expect(outputs.nat_egress_ips.value).toEqual(['${aws_eip.Network_NatEip1_0A7596FF.public_ip}']);
  });

  it('declares the secret inputs as ephemeral, sensitive variables with an empty default', () => {
    for (const name of ['runner_default_api_client_secret', 'runner_default_private_key']) {
      expect(s.json.variable[name]).toMatchObject({ type: 'string', sensitive: true, ephemeral: true, nullable: false, default: '' });
    }
  });
});

describe('AwsEcsStack options', () => {
  it('GIVEN stateBackend s3 THEN state goes to S3 with encryption and S3-native locking', () => {
    const s = synthConfig(exampleTarget((t) => (t.stateBackend = { type: 's3', bucket: 'acme-tf-state' })).config);
    expect(s.json.terraform.backend.s3).toEqual({
      bucket: 'acme-tf-state',
      key: 'private-runner-kit/ecsexample.tfstate',
      region: 'eu-central-1',
      encrypt: true,
      use_lockfile: true,
    });
  });

  it('GIVEN aws.endpoint THEN every service the kit uses goes to it, with bounded retries', () => {
    const s = synthConfig(exampleTarget((t) => (t.aws.endpoint = 'http://127.0.0.1:4566')).config);
    const provider = s.json.provider.aws[0];
    expect(provider.max_retries).toBe(3);
    expect(provider.skip_credentials_validation).toBe(true);
    for (const service of ['ec2', 'ecs', 'iam', 'kms', 'secretsmanager', 'sts', 'cloudwatchlogs', 'sns', 'cloudwatch']) {
      expect(provider.endpoints[0][service]).toBe('http://127.0.0.1:4566');
    }
  });

  it('GIVEN the emulator profile THEN the resources are those of production except exactly the listed relaxations', () => {
    const prod = synthConfig(exampleTarget().config).json;
    const emu = synthConfig(exampleTarget((t) => (t.aws.endpoint = 'http://127.0.0.1:4566')).config).json;
    const fn = (j: Json) => Object.values(j.resource.aws_lambda_function as Record<string, Json>)[0]!;
    const updaterPolicy = (j: Json) => JSON.parse((Object.entries(j.resource.aws_iam_role_policy as Record<string, Json>).find(([id]) => id.startsWith('Updates_Role_'))![1]).policy);
    const config = (j: Json) => JSON.parse(fn(j).environment.variables.RUNNER_KIT_UPDATER_CONFIG);
    // lambda-no-environment-key and lambda-default-log-group
    expect(fn(prod)).toMatchObject({ kms_key_arn: expect.stringContaining('aws_kms_key'), logging_config: { log_format: 'Text', log_group: expect.stringContaining('aws_cloudwatch_log_group.Updates_LogGroup') } });
    expect(fn(emu).kms_key_arn).toBeUndefined();
    expect(fn(emu).logging_config).toBeUndefined();
    expect(updaterPolicy(prod).Statement.map((st: Json) => st.Sid)).toContain('DecryptFunctionEnvironment');
    expect(updaterPolicy(emu).Statement.map((st: Json) => st.Sid)).not.toContain('DecryptFunctionEnvironment');
    // ecs-rollout-by-service
    expect(config(prod).rolloutTracking).toBe('deployment');
    expect(config(emu).rolloutTracking).toBe('service');
    // Everything else is identical.
    const normalize = (j: Json) => {
      const copy = structuredClone(j.resource) as Json;
      const f = Object.values(copy.aws_lambda_function as Record<string, Json>)[0]!;
      delete f.kms_key_arn;
      delete f.logging_config;
      f.environment.variables.RUNNER_KIT_UPDATER_CONFIG = '<compared above>';
      const [id] = Object.entries(copy.aws_iam_role_policy as Record<string, Json>).find(([k]) => k.startsWith('Updates_Role_'))!;
      const doc = JSON.parse(copy.aws_iam_role_policy[id].policy);
      doc.Statement = doc.Statement.filter((st: Json) => st.Sid !== 'DecryptFunctionEnvironment');
      copy.aws_iam_role_policy[id].policy = JSON.stringify(doc);
      return copy;
    };
    expect(normalize(emu)).toEqual(normalize(prod));
  });

  it('GIVEN two runners THEN each gets its own service, secrets and variables', () => {
    const s = synthConfig(
      exampleTarget((t) => {
        t.runners.second = { ...t.runners.default, uuid: '9d9c2b5e-1c41-4c3a-8b9b-1f6a2c7d8e90', apiClientId: 'second' };
      }).config,
    );
    expect(s.count('aws_ecs_service')).toBe(2);
    expect(s.count('aws_secretsmanager_secret')).toBe(4);
    expect(Object.keys(s.json.variable).sort()).toEqual([
      'runner_default_api_client_secret', 'runner_default_private_key', 'runner_second_api_client_secret', 'runner_second_private_key',
    ]);
  });
});
