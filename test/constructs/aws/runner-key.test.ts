import { exampleTarget, synthConfig, Synthesized } from '../../support/synth';

describe('RunnerKey', () => {
  let s: Synthesized;
  let policy: Synthesized['json'];
  beforeAll(() => {
    s = synthConfig(exampleTarget().config);
    policy = Synthesized.policy(s.only('aws_kms_key').policy);
  });

  it('CKV_AWS_7: rotates, with the longest deletion window', () => {
    expect(s.only('aws_kms_key')).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30 });
    expect(s.only('aws_kms_alias').name).toBe('alias/private-runner-kit/ecsexample');
  });

  it('CKV_AWS_33: no statement has a * principal', () => {
    for (const st of policy.Statement) {
      expect(st.Principal).not.toBe('*');
      for (const v of Object.values(st.Principal as Record<string, string>)) expect(v).not.toBe('*');
    }
  });

  it('lets CloudWatch Logs use it only for the kit\'s log groups of this target', () => {
    const logs = policy.Statement.find((st: { Sid: string }) => st.Sid === 'CloudWatchLogsEncryptsKitLogGroups');
    expect(logs.Principal).toEqual({ Service: 'logs.eu-central-1.amazonaws.com' });
    expect(logs.Condition.ArnLike['kms:EncryptionContext:aws:logs:arn']).toMatch(/:log-group:\/private-runner-kit\/ecsexample\/\*$/);
  });

  it('lets CloudWatch alarms of this account publish to the encrypted topic', () => {
    const cw = policy.Statement.find((st: { Sid: string }) => st.Sid === 'CloudWatchAlarmsPublishToEncryptedTopic');
    expect(cw.Principal).toEqual({ Service: 'cloudwatch.amazonaws.com' });
    expect(cw.Action).toEqual(['kms:Decrypt', 'kms:GenerateDataKey*']);
    expect(cw.Condition.StringEquals['aws:SourceAccount']).toMatch(/caller_identity/);
  });
});
