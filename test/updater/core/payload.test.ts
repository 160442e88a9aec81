import { parsePayload } from '../../../updater/core/payload';

describe('parsePayload', () => {
  it.each([
    [{ action: 'check' }],
    [{ action: 'update' }],
    [{ action: 'rollback' }],
    [{ action: 'bootstrap' }],
    [{ action: 'scheduled' }],
    [{ action: 'check', version: 'v1.3.0' }],
    [{ action: 'update', version: 'v10.0.1' }],
  ])('accepts %j', (payload) => {
    expect(parsePayload(payload)).toEqual({ ok: true, payload });
  });

  it.each([
    [null, 'must be a JSON object, got null'],
    ['update', 'must be a JSON object, got "update"'],
    [[{ action: 'check' }], 'must be a JSON object'],
    [{}, '"action" must be one of check, update, rollback; got nothing'],
    [{ action: 'UPDATE' }, 'got "UPDATE"'],
    [{ action: 'deploy' }, 'got "deploy"'],
    [{ action: 42 }, 'got 42'],
    [{ action: 'update', version: 'latest' }, '"version" must be a release tag vX.Y.Z (e.g. v1.3.0); got "latest"'],
    [{ action: 'update', version: 'v1.3.0-rc.1' }, 'got "v1.3.0-rc.1"'],
    [{ action: 'update', version: '1.3.0' }, 'got "1.3.0"'],
    [{ action: 'update', version: 130 }, 'got 130'],
    [{ action: 'rollback', version: 'v1.2.0' }, '"version" is only accepted with action check or update'],
    [{ action: 'bootstrap', version: 'v1.2.0' }, 'action bootstrap takes none'],
    [{ action: 'update', force: true }, 'unknown field(s) "force"'],
  ])('rejects %j, saying why and that nothing changed', (payload, why) => {
    const result = parsePayload(payload);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toContain(why);
    expect(result.error).toContain('Nothing was changed.');
    expect(result.error).toContain('accepted: {"action": "check" | "update" | "rollback"');
  });

  it('shortens a huge value in the message', () => {
    const result = parsePayload({ action: 'x'.repeat(10_000) });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.length).toBeLessThan(500);
  });
});

describe('who may request which action (authorizeAction)', () => {
  const { ACTIONS_BY_INVOKER, authorizeAction } = require('../../../updater/core/payload') as typeof import('../../../updater/core/payload');
  const ALL = ['check', 'update', 'rollback', 'bootstrap', 'scheduled'] as const;

  it('each action has exactly one invoker: the deploy bootstraps, the schedule runs, operators check, update and roll back', () => {
    expect(ACTIONS_BY_INVOKER).toEqual({ deploy: ['bootstrap'], schedule: ['scheduled'], 'on-demand': ['check', 'update', 'rollback'] });
    for (const action of ALL) expect(Object.values(ACTIONS_BY_INVOKER).filter((a) => (a as readonly string[]).includes(action))).toHaveLength(1);
  });

  it.each([
    ['on-demand', 'bootstrap', /"bootstrap" is accepted only from the deploy's invocation, not on demand/],
    ['on-demand', 'scheduled', /"scheduled" is accepted only from the schedule, not on demand/],
    ['schedule', 'rollback', /"rollback" is accepted only on demand, not from the schedule/],
    ['schedule', 'update', /"update" is accepted only on demand/],
    ['deploy', 'update', /not from the deploy's invocation \(which accepts bootstrap\)/],
  ] as const)('GIVEN invoker %s WHEN it sends %s THEN it is rejected, saying who may', (invoker, action, message) => {
    const r = authorizeAction({ action }, invoker);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(message);
    expect(!r.ok && r.error).toMatch(/Nothing was changed\.$/);
  });
});
