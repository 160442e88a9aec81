import { actionService, assertValidPermissions, bind, permissionProblems, type Permission } from '../../../../constructs/core/permissions/permission';

const ok: Permission = { sid: 'ReadThings', actions: ['ecs:DescribeServices'], resources: ['arn:aws:ecs:eu-central-1:123456789012:service/c/s'], justification: 'Shows the service state.' };

describe('Permission', () => {
  it('bind() keeps the template and adds resources; conditions only when given', () => {
    const t = { sid: 'S', actions: ['a:B'], justification: 'because it is needed' };
    expect(bind(t, ['r'])).toEqual({ ...t, resources: ['r'] });
    expect(bind(t, ['r'], [])).toEqual({ ...t, resources: ['r'] });
    expect(bind(t, ['r'], [{ test: 'StringEquals', variable: 'k', values: ['v'] }]).conditions).toHaveLength(1);
  });

  it('a well-formed permission has no problems', () => {
    expect(permissionProblems(ok)).toEqual([]);
  });

  it.each<[string, Partial<Permission>, RegExp]>([
    ['the sid has other characters than letters and digits', { sid: 'Read-Things' }, /letters and digits/],
    ['there is no action', { actions: [] }, /has no action/],
    ['there is no resource', { resources: [] }, /has no resource/],
    ['an Allow uses a wildcard action', { actions: ['ecs:Describe*'] }, /wildcard action "ecs:Describe\*"/],
    ['the justification is a label, not a reason', { justification: 'needed' }, /too short/],
    ['a condition has no value', { conditions: [{ test: 'StringEquals', variable: 'k', values: [] }] }, /has no value/],
  ])('reports a problem when %s', (_name, patch, message) => {
    expect(permissionProblems({ ...ok, ...patch }).join('\n')).toMatch(message);
  });

  it('accepts wildcard actions in a Deny (broader is safer there)', () => {
    expect(permissionProblems({ ...ok, effect: 'Deny', actions: ['iam:Create*'] })).toEqual([]);
  });

  it('fails when two statements share a sid, listing every problem at once', () => {
    expect(() => assertValidPermissions('role x', [ok, { ...ok, actions: [] }])).toThrow(/role x: invalid permissions:\n {2}- ReadThings: has no action\n {2}- sid "ReadThings" is used twice/);
  });

  it('names the service of AWS, Azure and GCP actions', () => {
    expect(actionService('ecs:DescribeServices')).toBe('ecs');
    expect(actionService('Microsoft.ContainerInstance/containerGroups/read')).toBe('Microsoft.ContainerInstance');
    expect(actionService('run.workerpools.get')).toBe('run');
  });
});
