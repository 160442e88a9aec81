/**
 * The Lambda handler decides who invoked it from the alias in its context (which IAM controls), never
 * from the payload, and accepts from each invoker only its actions; everything else is rejected
 * before the configuration is even read.
 */
import { handler, invokerOf } from '../../../updater/entry/aws-lambda';
import { UPDATER_CONFIG_ENV } from '../../../updater/entry/aws-updater-config';

const FN = 'arn:aws:lambda:eu-central-1:123456789012:function:prod-updater';

describe('invokerOf', () => {
  it.each([
    [FN, 'deploy'],
    [`${FN}:$LATEST`, 'deploy'],
    [`${FN}:scheduled`, 'schedule'],
    [`${FN}:on-demand`, 'on-demand'],
    [`${FN}:7`, undefined],
    [`${FN}:admin`, undefined],
    ['arn:aws:lambda:eu-central-1:123456789012:function:prod-updater:on-demand:extra', undefined],
    [undefined, undefined],
  ])('%s -> %s', (arn, invoker) => {
    expect(invokerOf(arn)).toBe(invoker);
  });
});

describe('handler', () => {
  let logs: string[];
  let log: jest.SpyInstance;
  beforeEach(() => {
    logs = [];
    log = jest.spyOn(console, 'log').mockImplementation((line: string) => void logs.push(line));
    // A configuration that would fail to parse: a rejected invocation must never get as far as reading it.
    process.env[UPDATER_CONFIG_ENV] = 'not json';
  });
  afterEach(() => {
    log.mockRestore();
    delete process.env[UPDATER_CONFIG_ENV];
  });

  it.each([
    [{ action: 'bootstrap' }, `${FN}:on-demand`, /"bootstrap" is accepted only from the deploy's invocation, not on demand/],
    [{ action: 'scheduled' }, `${FN}:on-demand`, /"scheduled" is accepted only from the schedule, not on demand/],
    [{ action: 'rollback' }, `${FN}:scheduled`, /"rollback" is accepted only on demand, not from the schedule/],
    [{ action: 'update', version: 'v1.3.1' }, `${FN}:scheduled`, /"update" is accepted only on demand/],
    [{ action: 'check' }, FN, /"check" is accepted only on demand, not from the deploy's invocation/],
    [{ action: 'check' }, `${FN}:7`, /neither the function itself nor its scheduled or on-demand alias/],
    [{ action: 'scheduled' }, undefined, /\(no Lambda context\)/],
  ])('GIVEN %j through %s THEN it is rejected before anything is read', async (event, arn, message) => {
    await expect(handler(event, arn === undefined ? undefined : { invokedFunctionArn: arn })).rejects.toThrow(message);
    expect(logs).toHaveLength(1);
    expect(JSON.parse(logs[0]!)).toMatchObject({ level: 'error', outcome: 'rejected' });
  });

  it.each([
    [{ action: 'bootstrap' }, FN],
    [{ action: 'scheduled' }, `${FN}:scheduled`],
    [{ action: 'check' }, `${FN}:on-demand`],
    [{ action: 'rollback' }, `${FN}:on-demand`],
  ])('GIVEN %j through %s THEN it is accepted, logged with its invoker, and goes on to the configuration', async (event, arn) => {
    await expect(handler(event, { invokedFunctionArn: arn, awsRequestId: 'req-1' })).rejects.toThrow(`${UPDATER_CONFIG_ENV} is not JSON`);
    expect(JSON.parse(logs[0]!)).toMatchObject({ msg: 'runner-kit invocation', action: event.action, requestId: 'req-1' });
  });

  it('GIVEN an invalid payload THEN the payload error comes first, whoever invoked', async () => {
    await expect(handler({ action: 'deploy' }, { invokedFunctionArn: `${FN}:on-demand` })).rejects.toThrow('"action" must be one of check, update, rollback; got "deploy"');
  });
});
