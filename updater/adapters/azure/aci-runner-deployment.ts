/**
 * A runner's container group as the updater's {@link RunnerDeployment}. A revision is the runner
 * container's image reference (by digest): ACI keeps no revisions of its own, and the group's spec
 * differs between two releases in its images only.
 *
 * - rollout: a PUT of the same group with the new image in the runner and init containers, and its
 *   log connection supplied again (`aci-group-spec.ts`); ACI restarts the group's containers in
 *   place, pulling the new image with the group's identity;
 * - restore (rollback): the same PUT with the previous image;
 * - healthy when ARM reports the PUT done (`Succeeded`), the runner container runs the new image and
 *   stays `Running` for `stableSeconds` without restarting; failed when provisioning fails, the init
 *   step or the runner keeps failing, or the group disappears. The runners' own word on meshStack is
 *   checked after this (`aci-runner-log.ts`), as on every platform.
 */
import type { ContainerGroup, ContainerInstanceManagementClient } from '@azure/arm-containerinstance';
import type { DeployedRevision, Rollout, RolloutHealth, RunnerDeployment } from '../../core/ports';
import { pollRollout, SYSTEM_CLOCK, type Clock, type RolloutObservation } from '../../core/rollout-poll';
import { digestOf, INIT_CONTAINER, logsLinked, RUNNER_CONTAINER, runnerImageOf, specWith } from './aci-group-spec';
import type { WorkspaceLink } from './workspace-link';

export interface AciRunnerDeploymentOptions {
  readonly aci: ContainerInstanceManagementClient;
  readonly resourceGroup: string;
  readonly groupName: string;
  /** The runner's log connection, supplied with every PUT. */
  readonly logs: WorkspaceLink;
  /** Time between two reads of a rollout. @default 15000 */
  readonly pollIntervalMs?: number;
  /** How long the runner must run without a restart to count as healthy. @default 60 */
  readonly stableSeconds?: number;
  /** @default SYSTEM_CLOCK */
  readonly clock?: Clock;
}

export class AciRunnerDeployment implements RunnerDeployment {
  private readonly clock: Clock;

  constructor(private readonly o: AciRunnerDeploymentOptions) {
    this.clock = o.clock ?? SYSTEM_CLOCK;
  }

  async current(): Promise<DeployedRevision | undefined> {
    const group = await this.get();
    if (group === undefined) return undefined;
    const image = runnerImageOf(group);
    if (image === undefined) throw new Error(`container group ${this.o.groupName} has no "${RUNNER_CONTAINER}" container; it was not made by the kit`);
    const digest = digestOf(image);
    return { revision: image, ...(digest !== undefined ? { digest } : {}) };
  }

  async rollOut(image: string): Promise<Rollout> {
    return this.put(image);
  }

  async restore(revision: string): Promise<Rollout> {
    return this.put(revision);
  }

  /**
   * Links the group to the workspace when it is not linked yet (a PUT with its image unchanged,
   * which restarts its containers: the caller makes sure no run is in progress). True when it did.
   */
  async linkLogs(): Promise<boolean> {
    const group = await this.get();
    if (group === undefined) return false;
    if (logsLinked(group, await this.o.logs.customerId())) return false;
    const { spec } = specWith(group, { logs: await this.o.logs.logAnalytics() });
    await this.o.aci.containerGroups.beginCreateOrUpdate(this.o.resourceGroup, this.o.groupName, spec);
    return true;
  }

  async waitHealthy(rollout: Rollout, timeoutSeconds: number): Promise<RolloutHealth> {
    const stableMs = (this.o.stableSeconds ?? 60) * 1000;
    let runningSince: number | undefined;
    let restarts: number | undefined;
    const observe = async (): Promise<RolloutObservation> => {
      const group = await this.get();
      if (group === undefined) return { state: 'failed', reason: `container group ${this.o.groupName} no longer exists` };
      const state = group.provisioningState;
      const events = (c: { instanceView?: { events?: { message?: string }[] } } | undefined) => (c?.instanceView?.events ?? []).map((e) => e.message).filter((m): m is string => typeof m === 'string').slice(-3).join('; ');
      const runner = group.containers.find((c) => c.name === RUNNER_CONTAINER);
      const init = group.initContainers?.find((c) => c.name === INIT_CONTAINER);
      if (state === 'Failed') return { state: 'failed', reason: `ARM reports the container group's provisioning failed${events(runner) ? ` (${events(runner)})` : ''}` };
      if (runner?.image !== rollout.revision) return { state: 'in-progress', detail: `the group still runs ${runner?.image ?? 'no runner container'}` };
      if (state !== 'Succeeded') return { state: 'in-progress', detail: `provisioning state ${state ?? 'unknown'}` };
      const initState = init?.instanceView?.currentState;
      if (initState?.state === 'Terminated' && (initState.exitCode ?? 0) !== 0 && (init?.instanceView?.restartCount ?? 0) >= 1) {
        return { state: 'failed', reason: `the init container ${INIT_CONTAINER} keeps failing (exit code ${initState.exitCode}${events(init) ? `; ${events(init)}` : ''})` };
      }
      const view = runner.instanceView;
      const current = view?.currentState?.state;
      const count = view?.restartCount ?? 0;
      if (current !== 'Running') {
        runningSince = undefined;
        if (restarts !== undefined && count > restarts + 1) return { state: 'failed', reason: `the runner container restarted ${count - restarts} times since the rollout (last state ${current ?? 'unknown'}${events(runner) ? `; ${events(runner)}` : ''})` };
        return { state: 'in-progress', detail: `the runner container is ${current ?? 'not started'}` };
      }
      restarts ??= count;
      if (count > restarts + 1) return { state: 'failed', reason: `the runner container restarted ${count - restarts} times since the rollout` };
      runningSince ??= this.clock.now();
      if (this.clock.now() - runningSince < stableMs) return { state: 'in-progress', detail: `the runner container runs, for ${Math.round((this.clock.now() - runningSince) / 1000)} s of ${stableMs / 1000} s` };
      return { state: 'complete' };
    };
    return pollRollout(observe, { subject: `container group ${this.o.groupName}`, revision: rollout.revision, timeoutSeconds, pollIntervalMs: this.o.pollIntervalMs ?? 15_000, clock: this.clock });
  }

  private async put(image: string): Promise<Rollout> {
    const group = await this.get();
    if (group === undefined) throw new Error(`container group ${this.o.groupName} does not exist; deploy the target first`);
    const previous = runnerImageOf(group)!;
    const { spec } = specWith(group, { image, logs: await this.o.logs.logAnalytics() });
    // Starts the change and returns: waitHealthy watches it (and the group's own state says more than the operation's).
    await this.o.aci.containerGroups.beginCreateOrUpdate(this.o.resourceGroup, this.o.groupName, spec);
    return { revision: image, previousRevision: previous };
  }

  private async get(): Promise<ContainerGroup | undefined> {
    try {
      return await this.o.aci.containerGroups.get(this.o.resourceGroup, this.o.groupName);
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) return undefined;
      throw error;
    }
  }
}
