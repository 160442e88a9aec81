/**
 * moto with extra environment variables for the emulator process, e.g.
 * `MOTO_ECS_SERVICE_RUNNING=1` (moto reads it when a service is created and reports that many
 * running tasks; without it every service stays at 0 running, rollout IN_PROGRESS).
 *
 * `startMoto` passes this process's environment to moto, so the variables are set for exactly the
 * duration of the start and restored afterwards. Jest gives each test file its own `process.env`,
 * so other files never see them.
 */
import { startMoto, type MotoServer } from './moto';

export async function startMotoWithEnv(env: Readonly<Record<string, string>>, maxSeconds?: number): Promise<MotoServer> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    return await startMoto(maxSeconds);
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}
