/** A {@link RunnerDeployment} built on first use, so a run that only promotes (a bootstrap) or decides nothing never needs the cluster. */
import type { RunnerDeployment } from '../../core/ports';

export function lazyDeployment(create: () => Promise<RunnerDeployment>): RunnerDeployment {
  let made: Promise<RunnerDeployment> | undefined;
  const get = () => (made ??= create());
  return {
    current: async () => (await get()).current(),
    rollOut: async (image, version) => (await get()).rollOut(image, version),
    restore: async (revision) => (await get()).restore(revision),
    waitHealthy: async (rollout, timeout) => (await get()).waitHealthy(rollout, timeout),
  };
}
