import { eventBridgeCron } from '../../../constructs/aws/schedule-expression';

describe('eventBridgeCron', () => {
  it.each([
    ['0 * * * *', 'cron(0 * * * ? *)'],
    ['*/15 * * * *', 'cron(0,15,30,45 * * * ? *)'],
    ['30 6 * * 1-5', 'cron(30 6 ? * 2,3,4,5,6 *)'],
    ['0 3 * * 0', 'cron(0 3 ? * 1 *)'],
    ['0 3 * * 7', 'cron(0 3 ? * 1 *)'],
    ['0 2 1,15 * *', 'cron(0 2 1,15 * ? *)'],
    ['0 2 * 1-3 *', 'cron(0 2 * 1,2,3 ? *)'],
  ])('%s -> %s (days of the week count 1-7 from Sunday; one day field is ?)', (cron, expected) => {
    expect(eventBridgeCron(cron)).toEqual({ ok: true, expression: expected });
  });

  it('refuses a schedule restricting both day fields, which EventBridge cannot express', () => {
    expect(eventBridgeCron('0 3 1 * 1')).toEqual({ ok: false, error: 'it restricts both day-of-month and day-of-week, which EventBridge Scheduler cannot combine' });
  });

  it('passes the parser\'s error through', () => {
    expect(eventBridgeCron('a b c d e')).toMatchObject({ ok: false });
  });
});
