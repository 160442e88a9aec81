import { secretVariableNames } from '../../../constructs/aws/runner-secrets';
import { writtenVersionsPath } from '../../../constructs/aws/written-versions';
import { exampleTarget, synthConfig, Synthesized } from '../../support/synth';

describe('RunnerSecrets', () => {
  let s: Synthesized;
  const versionOf = (synth: Synthesized, name: string) => {
    const secret = synth.resources('aws_secretsmanager_secret').find(([, b]) => b.name === name)!;
    return synth.resources('aws_secretsmanager_secret_version').find(([, v]) => String(v.secret_id).includes(secret[0]))![1];
  };
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
    expect(s.json.variable.runner_default_private_key).toMatchObject({ type: 'string', ephemeral: true, sensitive: true, nullable: false, default: '' });
  });

  it('stops the plan when a version not yet recorded as written has no input, naming the variable and the field to bump', () => {
    const v = versionOf(s, 'ecsexample/default/private-key');
    const [pre] = v.lifecycle.precondition;
    expect(pre.condition).toContain('(length(var.runner_default_private_key) >= 1)');
    expect(pre.condition).toContain(`"${writtenVersionsPath('ecsexample')}default/private-key", "none") == "1"`);
    expect(pre.error_message).toBe(
      'TF_VAR_runner_default_private_key is not set, but version 1 of ecsexample/default/private-key has not been written yet ' +
        '(a first deploy, or targets.ecsexample.runners.default.privateKeyVersion was bumped). Nothing was changed. ' +
        'Set TF_VAR_runner_default_private_key (README: Supplying secrets) and deploy again.',
    );
  });

  it('records each written version (the number only) after the value was written, listed by one data source per target', () => {
    const records = s.resources('aws_ssm_parameter').filter(([, p]) => String(p.name).startsWith(writtenVersionsPath('ecsexample')));
    expect(records.map(([, p]) => [p.name, p.type, p.value]).sort()).toEqual([
      ['/private-runner-kit/ecsexample/credentials/default/api-client-secret', 'String', '1'],
      ['/private-runner-kit/ecsexample/credentials/default/private-key', 'String', '1'],
    ]);
    for (const [, p] of records) expect(p.depends_on).toEqual([expect.stringMatching(/^aws_secretsmanager_secret_version\./)]);
    expect(Object.values(s.json.data.aws_ssm_parameters_by_path)).toEqual([{ path: '/private-runner-kit/ecsexample/credentials/', recursive: true, with_decryption: false }]);
  });

  it('GIVEN privateKeyVersion 2 THEN only the private key is sent again; the API client secret stays untouched', () => {
    const bumped = synthConfig(exampleTarget((t) => (t.runners.default.privateKeyVersion = 2)).config);
    expect(versionOf(bumped, 'ecsexample/default/private-key').secret_string_wo_version).toBe(2);
    expect(versionOf(bumped, 'ecsexample/default/api-client-secret').secret_string_wo_version).toBe(1);
  });

  it('GIVEN apiClientSecretVersion 3 THEN only the API client secret is sent again', () => {
    const bumped = synthConfig(exampleTarget((t) => (t.runners.default.apiClientSecretVersion = 3)).config);
    expect(versionOf(bumped, 'ecsexample/default/api-client-secret').secret_string_wo_version).toBe(3);
    expect(versionOf(bumped, 'ecsexample/default/private-key').secret_string_wo_version).toBe(1);
  });

  it('names variables after the runner, hyphens as underscores (valid TF_VAR_ names)', () => {
    expect(secretVariableNames('eu-west')).toEqual({ apiClientSecret: 'runner_eu_west_api_client_secret', privateKey: 'runner_eu_west_private_key', certificate: 'runner_eu_west_certificate' });
  });
});
