/** The helpers the AWS rules share: policy reading, principals' permissions, action scoping, security-group rules. */
import { SynthesizedConfig } from '../../../../constructs/core/rules/synthesized-config';
import { scopingOf } from '../../../../constructs/aws/rules/support/actions';
import { actionMatches, grants, isBoundaryOnly, permissionsOf, readPolicy } from '../../../../constructs/aws/rules/support/policy';
import { classifyCidr, rulesDeclaredBy } from '../../../../constructs/aws/rules/support/security-group-rules';
import { policy } from './fixtures/fixture';

describe('readPolicy', () => {
  const config = SynthesizedConfig.fromJson({
    data: {
      aws_iam_policy_document: {
        trust: {
          statement: [{
            actions: ['sts:AssumeRole'],
            principals: [{ type: 'AWS', identifiers: ['arn:aws:iam::111122223333:root'] }],
            condition: [{ test: 'StringEquals', variable: 'sts:ExternalId', values: ['x-1'] }],
          }],
        },
        star: { statement: { effect: 'Deny', not_actions: ['s3:GetObject'], resources: ['*'], principals: { type: 'AWS', identifiers: ['*'] } } },
        merged: { source_policy_documents: ['${data.aws_iam_policy_document.trust.json}'] },
      },
    },
  });

  it('normalizes a JSON document (single statement, string action, "*" principal)', () => {
    const read = readPolicy(JSON.stringify({ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 'kms:Decrypt', Resource: '${aws_kms_key.k.arn}', Principal: '*' } }), config);
    expect(read).toEqual({ ok: true, statements: [{ index: 0, effect: 'Allow', actions: ['kms:Decrypt'], resources: ['${aws_kms_key.k.arn}'], principals: { '*': ['*'] }, conditions: {} }] });
  });

  it('converts an aws_iam_policy_document data source of the stack', () => {
    const read = readPolicy('${data.aws_iam_policy_document.trust.json}', config);
    expect(read).toEqual({
      ok: true,
      statements: [{ index: 0, effect: 'Allow', actions: ['sts:AssumeRole'], resources: [], principals: { AWS: ['arn:aws:iam::111122223333:root'] }, conditions: { StringEquals: { 'sts:ExternalId': ['x-1'] } } }],
    });
    expect(readPolicy('${data.aws_iam_policy_document.star.minified_json}', config)).toMatchObject({ ok: true, statements: [{ effect: 'Deny', notActions: ['s3:GetObject'], principals: { '*': ['*'] } }] });
  });

  it('says why a document cannot be read', () => {
    expect(readPolicy('${jsonencode(local.doc)}', config)).toEqual({ ok: false, problem: 'the policy is the Terraform expression "${jsonencode(local.doc)}", not a JSON document the pack can read' });
    expect(readPolicy('{not json', config)).toEqual({ ok: false, problem: 'the policy "{not json" is not valid JSON' });
    expect(readPolicy('${data.aws_iam_policy_document.missing.json}', config)).toEqual({ ok: false, problem: 'data.aws_iam_policy_document.missing is not in this stack' });
    expect(readPolicy('${data.aws_iam_policy_document.merged.json}', config)).toMatchObject({ ok: false, problem: expect.stringContaining('merges other documents (source_policy_documents)') });
    expect(readPolicy(policy({ Effect: '${var.effect}', Action: 'x:Y', Resource: '*' }), config)).toMatchObject({ ok: false, problem: expect.stringContaining('needs "Allow" or "Deny" as a literal') });
  });
});

describe('permissionsOf a role', () => {
  const config = SynthesizedConfig.fromJson({
    resource: {
      aws_iam_role: { r: { name: 'kit-role', inline_policy: [{ name: 'inline', policy: policy({ Effect: 'Allow', Action: 'a:One', Resource: '*' }) }], permissions_boundary: '${aws_iam_policy.boundary.arn}' } },
      aws_iam_role_policy: { byName: { role: '${aws_iam_role.r.name}', policy: policy({ Effect: 'Allow', Action: 'a:Two', Resource: '*' }) }, other: { role: 'someone-else', policy: policy({ Effect: 'Allow', Action: 'a:Nope', Resource: '*' }) } },
      aws_iam_policy: { shared: { policy: policy({ Effect: 'Allow', Action: 'a:Three', Resource: '*' }) }, boundary: { policy: policy({ Effect: 'Allow', Action: '*', Resource: '*' }) } },
      aws_iam_role_policy_attachment: { s: { role: 'kit-role', policy_arn: '${aws_iam_policy.shared.arn}' }, m: { role: '${aws_iam_role.r.id}', policy_arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' } },
    },
  });
  const role = config.get('aws_iam_role.r')!;

  it('collects inline blocks, role policies and attached stack policies; lists outside policies apart', () => {
    const p = permissionsOf(role, config);
    expect(p.policies.map((x) => `${x.holder.address} ${x.label}`)).toEqual(['aws_iam_role.r inline_policy "inline"', 'aws_iam_role_policy.byName policy', 'aws_iam_policy.shared policy']);
    expect(p.external.map((e) => [e.via.address, e.policyArn])).toEqual([['aws_iam_role_policy_attachment.m', 'arn:aws:iam::aws:policy/ReadOnlyAccess']]);
  });

  it('knows a policy used only as a permissions boundary', () => {
    expect(isBoundaryOnly(config.get('aws_iam_policy.boundary')!, config)).toBe(true);
    expect(isBoundaryOnly(config.get('aws_iam_policy.shared')!, config)).toBe(false);
  });
});

describe('actions', () => {
  it('matches IAM action patterns case-insensitively', () => {
    expect(actionMatches('iam:Pass*', 'iam:PassRole')).toBe(true);
    expect(actionMatches('IAM:passrole', 'iam:PassRole')).toBe(true);
    expect(actionMatches('iam:Pass?ole', 'iam:PassRole')).toBe(true);
    expect(actionMatches('iam:Pass', 'iam:PassRole')).toBe(false);
    expect(actionMatches('*', 'ecs:UpdateService')).toBe(true);
  });

  it('reads NotAction as everything else', () => {
    const s = { index: 0, effect: 'Allow' as const, actions: [], notActions: ['iam:*'], resources: ['*'], conditions: {} };
    expect(grants(s, 'ecs:UpdateService')).toBe(true);
    expect(grants(s, 'iam:PassRole')).toBe(false);
  });

  it('tells from the catalog whether an action supports resource scoping', () => {
    expect(scopingOf('ecr:GetAuthorizationToken')).toEqual({ kind: 'wildcard-only', narrowedBy: [] });
    expect(scopingOf('secretsmanager:GetSecretValue')).toEqual({ kind: 'scopable', actions: ['secretsmanager:GetSecretValue'] });
    expect(scopingOf('ec2:DescribeSubnets')).toEqual({ kind: 'wildcard-only', narrowedBy: [] });
    expect(scopingOf('cloudwatch:PutMetricData')).toEqual({ kind: 'wildcard-only', narrowedBy: [{ action: 'cloudwatch:PutMetricData', conditionKey: 'cloudwatch:namespace' }] });
    expect(scopingOf('ecs:Describe*')).toMatchObject({ kind: 'scopable', actions: expect.arrayContaining(['ecs:DescribeServices']) });
    expect(scopingOf('ecs:NoSuchAction')).toMatchObject({ kind: 'unknown', why: expect.stringContaining('check the spelling') });
    expect(scopingOf('athena:StartQueryExecution')).toMatchObject({ kind: 'unknown', why: expect.stringContaining('add it to CATALOG_SERVICES') });
  });
});

describe('security-group rules', () => {
  it('gives every declaration form the same finding key', () => {
    const inline = rulesDeclaredBy({ kind: 'resource', type: 'aws_security_group', name: 'g', address: 'aws_security_group.g', body: { egress: [{ protocol: 'tcp', from_port: 22, to_port: 22, cidr_blocks: ['0.0.0.0/0'] }] } });
    const legacy = rulesDeclaredBy({ kind: 'resource', type: 'aws_security_group_rule', name: 'r', address: 'aws_security_group_rule.r', body: { type: 'egress', protocol: '6', from_port: 22, to_port: 22, cidr_blocks: ['0.0.0.0/0'] } });
    const modern = rulesDeclaredBy({ kind: 'resource', type: 'aws_vpc_security_group_egress_rule', name: 'e', address: 'aws_vpc_security_group_egress_rule.e', body: { ip_protocol: 'tcp', from_port: 22, to_port: 22, cidr_ipv4: '0.0.0.0/0' } });
    expect([...inline, ...legacy, ...modern].map((r) => r.key)).toEqual(['Egress::tcp:22', 'Egress::tcp:22', 'Egress::tcp:22']);
  });

  it('places CIDRs inside or outside the VPC', () => {
    expect(['0.0.0.0/0', '::/0', '10.42.0.0/22', '172.20.0.0/16', '192.168.1.0/24', '100.64.0.0/10', 'fd00::/8', '203.0.113.0/24', '${aws_vpc.v.cidr_block}', '${var.cidr}'].map(classifyCidr)).toEqual([
      'world', 'world', 'internal', 'internal', 'internal', 'internal', 'internal', 'public', 'internal', 'unknown',
    ]);
  });
});
