/**
 * SDK client settings for the AWS API emulator on loopback: fixed test credentials, the emulator's
 * region, and few attempts, so an action the emulator lacks fails fast instead of retrying for
 * minutes. Only settings, no client classes: each test file loads just the SDK packages it uses.
 */
export const EMULATOR_REGION = 'eu-central-1';

export function emulatorClientConfig(endpoint: string) {
  return {
    endpoint,
    region: EMULATOR_REGION,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    maxAttempts: 2,
  };
}
