import { literalResolver, partitionOf } from '../../../../constructs/aws/permissions/literal-arns';

const json = {
  data: { aws_caller_identity: { CallerIdentity: {} }, aws_partition: { Partition: {} } },
  resource: {
    aws_iam_role: { Exec: { name: 'ecsexample-default-exec' }, Pathed: { name: 'r', path: '/kit/' } },
    aws_ecs_cluster: { Cluster: { name: 'ecsexample' } },
    aws_ecs_service: { Svc: { name: 'ecsexample-default', cluster: '${aws_ecs_cluster.Cluster.arn}' } },
    aws_cloudwatch_log_group: { Logs: { name: '/private-runner-kit/ecsexample/runners/default' } },
    aws_secretsmanager_secret: { Key: { name: 'ecsexample/default/private-key' } },
    aws_kms_key: { Key: { description: 'k' }, Lonely: {} },
    aws_kms_alias: { Alias: { name: 'alias/private-runner-kit/ecsexample', target_key_id: '${aws_kms_key.Key.key_id}' } },
    aws_lambda_function: { Fn: { function_name: 'ecsexample-updater' } },
    aws_ecs_task_definition: { Td: { family: 'ecsexample-default' } },
  },
};
const lit = literalResolver(json, { accountId: '123456789012', region: 'eu-central-1' });
const account = '${data.aws_caller_identity.CallerIdentity.account_id}';
const partition = '${data.aws_partition.Partition.partition}';

describe('literalResolver', () => {
  it.each([
    [`arn:${partition}:ecs:eu-central-1:${account}:*`, 'arn:aws:ecs:eu-central-1:123456789012:*'],
    ['${aws_iam_role.Exec.arn}', 'arn:aws:iam::123456789012:role/ecsexample-default-exec'],
    ['${aws_iam_role.Pathed.arn}', 'arn:aws:iam::123456789012:role/kit/r'],
    ['${aws_ecs_service.Svc.id}', 'arn:aws:ecs:eu-central-1:123456789012:service/ecsexample/ecsexample-default'],
    ['${aws_cloudwatch_log_group.Logs.arn}:log-stream:*', 'arn:aws:logs:eu-central-1:123456789012:log-group:/private-runner-kit/ecsexample/runners/default:log-stream:*'],
    ['${aws_secretsmanager_secret.Key.arn}', 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:ecsexample/default/private-key-??????'],
    ['${aws_kms_key.Key.arn}', 'arn:aws:kms:eu-central-1:123456789012:key/<key-id-of:alias/private-runner-kit/ecsexample>'],
    ['${aws_lambda_function.Fn.arn}', 'arn:aws:lambda:eu-central-1:123456789012:function:ecsexample-updater'],
    ['task-definition/${aws_ecs_task_definition.Td.family}:*', 'task-definition/ecsexample-default:*'],
  ])('resolves %s', (input, expected) => {
    expect(lit(input, 'test')).toBe(expected);
  });

  it('resolves deeply, keeping key order', () => {
    expect(lit({ b: ['${aws_iam_role.Exec.name}'], a: { [`${partition}`]: 1 } }, 'doc')).toEqual({ b: ['ecsexample-default-exec'], a: { aws: 1 } });
    expect(Object.keys(lit({ b: 1, a: 2 }, 'doc'))).toEqual(['b', 'a']);
  });

  it.each([
    ['a value known only after apply', '${aws_ecs_task_definition.Td.arn}', /arn of aws_ecs_task_definition is known only after apply/],
    ['a KMS key without an alias', '${aws_kms_key.Lonely.arn}', /no alias to name it by/],
    ['a resource that is not in the stack', '${aws_iam_role.Missing.arn}', /no resource aws_iam_role.Missing/],
    ['a Terraform function', '${jsonencode(aws_iam_role.Exec.name)}', /not a plain resource reference/],
    ['an unknown data source', '${data.aws_vpc.Main.id}', /no literal for data source aws_vpc.id/],
  ])('fails loudly on %s, naming where', (_name, input, message) => {
    expect(() => lit({ Resource: [input] }, 'policy.json')).toThrow(message);
    expect(() => lit({ Resource: [input] }, 'policy.json')).toThrow(/^policy\.json\.Resource\[0\]/);
  });

  it('derives the partition from the region', () => {
    expect([partitionOf('eu-central-1'), partitionOf('cn-north-1'), partitionOf('us-gov-west-1')]).toEqual(['aws', 'aws-cn', 'aws-us-gov']);
    expect(literalResolver(json, { accountId: '1', region: 'cn-north-1' })(partition, 'x')).toBe('aws-cn');
  });
});
