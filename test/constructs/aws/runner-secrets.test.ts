import { secretVariableNames } from '../../../constructs/aws/runner-secrets';
import { exampleTarget, synthConfig, Synthesized } from '../../support/synth';

describe('RunnerSecrets', () => {
  let s: Synthesized;
  beforeAll(() => {
    s = synthConfig(exampleTarget().config);
  });

  it('CKV_AWS_149: both secrets use the target\'s customer-managed key', () => {
    const secrets = s.resources('aws_secretsmanager_secret').map(([, b]) => b);
    expect(secrets.map((b) => b.name).sort()).toEqual(['ecsexample/default/api-client-secret', 'ecsexample/default/private-key']);
    for (const b of secrets) {
      expect(b.kms_key_id).toMatch(/aws_kms_key\..*\.arn/);
      expect(b.recovery_window_in_days).toBe(7);
    }
  });

  it('sends values only through write-only attributes fed by the ephemeral variables', () => {
    const versions = s.resources('aws_secretsmanager_secret_version').map(([, b]) => b);
    expect(versions).toHaveLength(2);
    for (const v of versions) {
      expect(v.secret_string).toBeUndefined();
      expect(v.secret_binary).toBeUndefined();
      expect(v.secret_string_wo).toMatch(/^\$\{var\.runner_default_(api_client_secret|private_key)\}$/);
      expect(v.secret_string_wo_version).toBe(1);
    }
  });

  it('GIVEN credentialsVersion 2 THEN the write-only version moves, so new values are sent', () => {
    const bumped = synthConfig(exampleTarget((t) => (t.runners.default.credentialsVersion = 2)).config);
    for (const [, v] of bumped.resources('aws_secretsmanager_secret_version')) expect(v.secret_string_wo_version).toBe(2);
  });

  it('names variables after the runner, hyphens as underscores (valid TF_VAR_ names)', () => {
    expect(secretVariableNames('eu-west')).toEqual({ apiClientSecret: 'runner_eu_west_api_client_secret', privateKey: 'runner_eu_west_private_key' });
  });
});
