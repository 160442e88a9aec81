/**
 * The AWS update pipeline and mirror as synthesized for the example: schedule, function, the
 * updater role's scoping, the bootstrap ordering, by-digest images, repositories and alarms.
 */
import { UPDATER_CONFIG_ENV } from '../../../updater/entry/aws-updater-config';
import { exampleTarget, synthConfig, Synthesized, type Json } from '../../support/synth';

const ACCOUNT = '${data.aws_caller_identity.CallerIdentity.account_id}';
const PARTITION = '${data.aws_partition.Partition.partition}';
const arn = (service: string, resource: string, region = 'eu-central-1') => `arn:${PARTITION}:${service}:${region}:${ACCOUNT}:${resource}`;

describe('UpdatePipeline and RegistryMirror with the example target', () => {
  let s: Synthesized;
  let policy: Json;
  let bySid: Record<string, Json>;
  beforeAll(() => {
    s = synthConfig(exampleTarget().config);
    policy = Synthesized.policy(s.find('aws_iam_role_policy', 'Updates_Role_').policy);
    bySid = Object.fromEntries(policy.Statement.map((st: Json) => [st.Sid, st]));
  });

  it('CKV_AWS_51/163/136: one mirror repository, immutable, scanned on push, KMS-encrypted, keeping the last 10 releases', () => {
    expect(s.only('aws_ecr_repository')).toMatchObject({
      name: 'ecsexample/tf-block-runner',
      image_tag_mutability: 'IMMUTABLE',
      image_scanning_configuration: { scan_on_push: true },
      encryption_configuration: [{ encryption_type: 'KMS', kms_key: expect.stringContaining('aws_kms_key.Key') }],
    });
    const rules = JSON.parse(s.only('aws_ecr_lifecycle_policy').policy).rules;
    expect(rules).toEqual([expect.objectContaining({ selection: { tagStatus: 'tagged', tagPrefixList: ['v'], countType: 'imageCountMoreThan', countNumber: 10 }, action: { type: 'expire' } })]);
  });

  it('the function: bundled zip with its hash, one at a time, in the private subnets, encrypted environment, 15 minutes', () => {
    const fn = s.only('aws_lambda_function');
    expect(fn).toMatchObject({
      function_name: 'ecsexample-updater',
      runtime: 'nodejs22.x',
      handler: 'index.handler',
      filename: expect.stringMatching(/^assets\/Updates_Bundle_[0-9A-F]+\/[0-9A-F]+\/[0-9a-f]{64}\.zip$/),
      source_code_hash: expect.stringMatching(/^[A-Za-z0-9+/]{43}=$/),
      reserved_concurrent_executions: 1,
      timeout: 900,
      kms_key_arn: expect.stringContaining('aws_kms_key.Key'),
      vpc_config: { subnet_ids: expect.any(Array), security_group_ids: [expect.stringContaining('aws_security_group.Updates_SecurityGroup')] },
    });
    expect(s.find('aws_security_group', 'Updates_')).toMatchObject({ ingress: [], egress: [expect.objectContaining({ from_port: 443, to_port: 443, protocol: 'tcp' })] });
  });

  it('its configuration names the runner, mirror, service, version record and health alarm, fixed at synthesis', () => {
    const config = JSON.parse(s.only('aws_lambda_function').environment.variables[UPDATER_CONFIG_ENV]);
    expect(config).toEqual({
      target: 'ecsexample',
      region: 'eu-central-1',
      metricNamespace: 'PrivateRunnerKit/Updater',
      rolloutTimeoutSeconds: 600,
      rolloutTracking: 'deployment',
      policy: { channel: 'minor', hold: false, allowDowngrade: false, window: { schedule: '0 2 * * 1-5', durationMinutes: 120, timeZone: 'Europe/Berlin' } },
      runners: [
        {
          name: 'default',
          upstreamRegistry: 'https://ghcr.io',
          upstreamRepository: 'meshcloud/tf-block-runner',
          version: 'v1.3.0',
          mirrorRepository: 'ecsexample/tf-block-runner',
          cluster: 'ecsexample',
          service: 'ecsexample-default',
          versionParameter: '/private-runner-kit/ecsexample/runners/default/version',
          healthAlarm: 'ecsexample-default-running-tasks-below-desired',
        },
      ],
      // The runners' log groups (busy check, meshStack signal): one prefix for all, and their run timeout.
      runnerLogs: { groupPrefix: '/private-runner-kit/ecsexample/runners/', runTimeoutMinutes: 60 },
    });
    expect(JSON.stringify(config)).not.toContain('${');
  });

  it('the schedule runs the updater hourly with the fixed scheduled payload, through a role that may only invoke it', () => {
    expect(s.only('aws_scheduler_schedule')).toMatchObject({
      schedule_expression: 'cron(0 * * * ? *)',
      schedule_expression_timezone: 'Europe/Berlin',
      flexible_time_window: { mode: 'OFF' },
      target: { arn: '${aws_lambda_alias.Updates_Scheduled_2D03338C.arn}', input: '{"action":"scheduled"}', retry_policy: { maximum_retry_attempts: 0 } },
    });
    const schedulerPolicy = Synthesized.policy(s.find('aws_iam_role_policy', 'SchedulerRole').policy);
    expect(schedulerPolicy.Statement).toEqual([expect.objectContaining({ Action: 'lambda:InvokeFunction', Resource: '${aws_lambda_alias.Updates_Scheduled_2D03338C.arn}' })]);
  });

  it('one alias per invoker on $LATEST: the schedule invokes "scheduled", operators "on-demand", the bootstrap the function itself', () => {
    const aliases = s.resources('aws_lambda_alias').map(([, a]) => a);
    expect(aliases).toEqual([
      expect.objectContaining({ name: 'on-demand', function_name: expect.stringContaining('aws_lambda_function.Updates'), function_version: '$LATEST' }),
      expect.objectContaining({ name: 'scheduled', function_name: expect.stringContaining('aws_lambda_function.Updates'), function_version: '$LATEST' }),
    ]);
    expect(s.only('aws_lambda_invocation').qualifier).toBeUndefined();
  });

  it('the updater role may only do what the issue lists, each scoped to the runner’s own resources', () => {
    expect(Object.keys(bySid)).toEqual([
      'PromoteIntoMirror', 'LogInToMirror', 'ReadTaskDefinitions', 'RegisterRunnerTaskDefinitions', 'RollOutRunnerServices',
      'PassRunnerRolesToEcsTasks', 'ReadRunnerLogs', 'ReadRunnerHealthAlarms', 'PutUpdaterMetrics', 'ReadWriteVersionRecords', 'WriteUpdaterLogs',
      'DescribeFunctionNetwork', 'AttachFunctionToPrivateSubnets', 'ManageFunctionNetworkInterfaces', 'DecryptFunctionEnvironment',
    ]);
    expect(bySid.AttachFunctionToPrivateSubnets!.Resource).toEqual([
      arn('ec2', 'network-interface/*'),
      expect.stringMatching(/:ec2:eu-central-1:.*:subnet\/\$\{aws_subnet\.Network_PrivateSubnet1/),
      expect.stringMatching(/:ec2:eu-central-1:.*:subnet\/\$\{aws_subnet\.Network_PrivateSubnet2/),
      expect.stringMatching(/:security-group\/\$\{aws_security_group\.Updates_SecurityGroup/),
    ]);
    expect(bySid.ManageFunctionNetworkInterfaces!.Resource).toBe(arn('ec2', 'network-interface/*'));
    // Not every interface of the account: only those in the updater's own subnets.
    expect(bySid.ManageFunctionNetworkInterfaces!.Condition).toEqual({
      ArnEquals: {
        'ec2:Subnet': [
          expect.stringMatching(/:ec2:eu-central-1:.*:subnet\/\$\{aws_subnet\.Network_PrivateSubnet1/),
          expect.stringMatching(/:ec2:eu-central-1:.*:subnet\/\$\{aws_subnet\.Network_PrivateSubnet2/),
        ],
      },
    });
    expect(bySid.PromoteIntoMirror!.Resource).toBe(arn('ecr', 'repository/ecsexample/tf-block-runner'));
    expect(bySid.PromoteIntoMirror!.Action).not.toEqual(expect.arrayContaining(['ecr:BatchDeleteImage', 'ecr:DeleteRepository', 'ecr:SetRepositoryPolicy', 'ecr:PutLifecyclePolicy']));
    expect(bySid.RegisterRunnerTaskDefinitions).toMatchObject({ Action: ['ecs:RegisterTaskDefinition', 'ecs:TagResource'], Resource: arn('ecs', 'task-definition/ecsexample-default:*') });
    expect(bySid.RollOutRunnerServices).toMatchObject({ Action: ['ecs:UpdateService', 'ecs:DescribeServices'], Resource: arn('ecs', 'service/ecsexample/ecsexample-default') });
    expect(bySid.PassRunnerRolesToEcsTasks).toEqual({
      Sid: 'PassRunnerRolesToEcsTasks',
      Effect: 'Allow',
      Action: 'iam:PassRole',
      Resource: [arn('iam', 'role/ecsexample-default-exec', ''), arn('iam', 'role/ecsexample-default-task', '')],
      Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
    });
    // The runner's own log group, nothing else: read-only, one action.
    expect(bySid.ReadRunnerLogs).toMatchObject({
      Action: 'logs:FilterLogEvents',
      Resource: [arn('logs', 'log-group:/private-runner-kit/ecsexample/runners/default'), arn('logs', 'log-group:/private-runner-kit/ecsexample/runners/default:*')],
    });
    expect(bySid.ReadRunnerHealthAlarms!.Resource).toBe(arn('cloudwatch', 'alarm:ecsexample-default-running-tasks-below-desired'));
    expect(bySid.PutUpdaterMetrics).toMatchObject({ Resource: '*', Condition: { StringEquals: { 'cloudwatch:namespace': 'PrivateRunnerKit/Updater' } } });
    expect(bySid.ReadWriteVersionRecords!.Resource).toBe(arn('ssm', 'parameter/private-runner-kit/ecsexample/runners/default/version'));
    expect(bySid.DecryptFunctionEnvironment).toMatchObject({ Condition: { StringEquals: { 'kms:ViaService': 'lambda.eu-central-1.amazonaws.com' } } });
    // The only `*` resources are on actions without resource scoping (or the ENI set Lambda needs).
    const star = policy.Statement.filter((st: Json) => st.Resource === '*').map((st: Json) => st.Sid);
    expect(star).toEqual(['LogInToMirror', 'ReadTaskDefinitions', 'PutUpdaterMetrics', 'DescribeFunctionNetwork']);
    for (const st of policy.Statement) for (const a of [st.Action].flat()) expect(a).not.toMatch(/\*/);
  });

  it('the bootstrap runs once the function, its permissions and the mirror exist; the task definition and version record come from its result', () => {
    const invocation = s.only('aws_lambda_invocation');
    expect(invocation.input).toBe('{"action":"bootstrap"}');
    expect(invocation.depends_on).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^aws_iam_role_policy\.Updates_Role_Permissions/),
        expect.stringMatching(/^aws_ecr_repository\.Mirror-tf-block-runner/),
        expect.stringMatching(/^aws_lambda_function\.Updates/),
      ]),
    );
    const records = s.resources('aws_ssm_parameter').filter(([, p]) => String(p.name).endsWith('/version'));
    expect(records).toHaveLength(1);
    const param = records[0]![1];
    expect(param).toMatchObject({
      name: '/private-runner-kit/ecsexample/runners/default/version',
      type: 'String',
      value: '${jsonencode(jsondecode(aws_lambda_invocation.Updates_Bootstrap_4B209B45.result).runners.default.record)}',
      lifecycle: { ignore_changes: ['value'] },
    });
  });

  it('alarms on failed and rolled-back updates per runner, and on updater errors, to the alarm topic', () => {
    const alarms = s.resources('aws_cloudwatch_metric_alarm').map(([, a]) => a);
    const byName = Object.fromEntries(alarms.map((a) => [a.alarm_name, a]));
    for (const outcome of ['failed', 'rolled-back']) {
      expect(byName[`ecsexample-default-update-${outcome}`]).toMatchObject({
        namespace: 'PrivateRunnerKit/Updater',
        metric_name: 'UpdateOutcome',
        dimensions: { Target: 'ecsexample', Runner: 'default', Outcome: outcome },
        threshold: 1,
        alarm_actions: [expect.stringContaining('aws_sns_topic')],
      });
    }
    expect(byName['ecsexample-updater-errors']).toMatchObject({ namespace: 'AWS/Lambda', metric_name: 'Errors', dimensions: { FunctionName: 'ecsexample-updater' } });
    expect(byName['ecsexample-default-running-tasks-below-desired']).toBeDefined();
  });

  it('outputs the updater, the mirror, the version records and the bootstrapped version', () => {
    expect(Object.keys(s.json.output)).toEqual(expect.arrayContaining(['updater_name', 'updater_on_demand', 'mirror_repositories', 'runner_version_records', 'runner_bootstrap_versions']));
    expect(s.json.output.runner_bootstrap_versions.value).toEqual({ default: expect.stringMatching(/^\$\{jsondecode\(aws_lambda_invocation\.Updates_Bootstrap_\w+\.result\)\.runners\.default\.to\}$/) });
  });
});

describe('UpdatePipeline overrides', () => {
  it('GIVEN channel, schedule, window and keepReleases THEN the schedule, configuration and lifecycle follow', () => {
    const s = synthConfig(
      exampleTarget((t) => {
        t.updates = { channel: 'patch', schedule: '30 6 * * 1-5', timeZone: 'America/New_York', window: { schedule: '0 2 * * 1-5', durationMinutes: 120 }, keepReleases: 5, hold: true };
      }).config,
    );
    expect(s.only('aws_scheduler_schedule')).toMatchObject({ schedule_expression: 'cron(30 6 ? * 2,3,4,5,6 *)', schedule_expression_timezone: 'America/New_York' });
    const config = JSON.parse(s.only('aws_lambda_function').environment.variables[UPDATER_CONFIG_ENV]);
    expect(config.policy).toEqual({ channel: 'patch', hold: true, allowDowngrade: false, window: { schedule: '0 2 * * 1-5', durationMinutes: 120, timeZone: 'America/New_York' } });
    expect(JSON.parse(s.only('aws_ecr_lifecycle_policy').policy).rules[0].selection.countNumber).toBe(5);
  });

  it('GIVEN two runners on the same image THEN they share one mirror repository and each gets its own record and alarms', () => {
    const s = synthConfig(
      exampleTarget((t) => {
        t.runners.second = { ...t.runners.default, uuid: '9d9c2b5e-1c41-4c3a-8b9b-1f6a2c7d8e90', apiClientId: 'second' };
      }).config,
    );
    expect(s.count('aws_ecr_repository')).toBe(1);
    expect(s.resources('aws_ssm_parameter').filter(([, p]) => String(p.name).endsWith('/version'))).toHaveLength(2);
    const config = JSON.parse(s.only('aws_lambda_function').environment.variables[UPDATER_CONFIG_ENV]);
    expect(config.runners.map((r: Json) => r.service)).toEqual(['ecsexample-default', 'ecsexample-second']);
  });

  it('GIVEN a parked runner (replicas 0) THEN the updater has no health alarm to consult for it', () => {
    const s = synthConfig(exampleTarget((t) => (t.runners.default.replicas = 0)).config);
    const config = JSON.parse(s.only('aws_lambda_function').environment.variables[UPDATER_CONFIG_ENV]);
    expect(config.runners[0].healthAlarm).toBeUndefined();
    const policy = Synthesized.policy(s.find('aws_iam_role_policy', 'Updates_Role_').policy);
    expect(policy.Statement.map((st: Json) => st.Sid)).not.toContain('ReadRunnerHealthAlarms');
  });
});
