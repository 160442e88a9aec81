/**
 * The runner's ECS service as the updater's {@link RunnerDeployment}: what runs is the service's
 * task definition; a rollout registers a copy of it with the new mirror image and points the
 * service at it; health is ECS's verdict on the deployment plus the runner's health alarm.
 *
 * ECS keeps the previous revision, so a restore is only an UpdateService back to it, and the
 * deployment circuit breaker the kit enables (rollback on) may already have done it by itself:
 * `waitHealthy` reports that as unhealthy rather than waiting for a deployment that is gone.
 */
import { DescribeAlarmsCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  type ECSClient,
  type Service,
} from '@aws-sdk/client-ecs';
import type { DeployedRevision, Rollout, RolloutHealth, RunnerDeployment } from '../../core/ports';
import { type Clock, pollRollout, type RolloutObservation, SYSTEM_CLOCK } from '../../core/rollout-poll';
import { isDigest } from '../oci/digest';
import { assessRollout, shortArn, type RolloutTracking } from './rollout-assessment';
import { cloneTaskDefinitionWithImage } from './task-definition-clone';

/** The container that runs the runner itself; its image tells which digest runs (see EcsRunnerService). */
export const RUNNER_CONTAINER_NAME = 'runner';

export interface EcsRunnerDeploymentOptions {
  readonly ecs: ECSClient;
  /** Reads the health alarm; unused without {@link healthAlarmName}. */
  readonly cloudwatch: CloudWatchClient;
  /** Cluster name or ARN. */
  readonly cluster: string;
  /** Service name or ARN. */
  readonly service: string;
  /**
   * The mirror repository without tag or digest, e.g.
   * `123456789012.dkr.ecr.eu-central-1.amazonaws.com/private-runner-kit/t/tf-block-runner`. Only
   * containers running an image of it are changed, and only images of it are rolled out.
   */
  readonly mirrorRepositoryUrl: string;
  /**
   * A CloudWatch alarm (metric or composite) that must not be in ALARM once ECS reports the
   * rollout complete, e.g. the runner's "running tasks below desired" alarm.
   * @default - none: ECS's deployment state alone decides
   */
  readonly healthAlarmName?: string;
  /**
   * Time between two DescribeServices calls while waiting.
   * @default 15_000 ms - a Fargate task needs about a minute to start; faster polling only costs API calls
   */
  readonly pollIntervalMs?: number;
  /**
   * How a rollout is judged, see {@link RolloutTracking}.
   * @default 'deployment' - real ECS. `'service'` is an emulator relaxation for moto only, which
   * never creates a deployment on UpdateService; never set it against AWS.
   */
  readonly rolloutTracking?: RolloutTracking;
  /** Time and waiting, for tests. @default the system clock */
  readonly clock?: Clock;
}

export class EcsRunnerDeployment implements RunnerDeployment {
  private readonly ecs: ECSClient;
  private readonly cloudwatch: CloudWatchClient;
  private readonly cluster: string;
  private readonly service: string;
  private readonly mirrorRepositoryUrl: string;
  private readonly healthAlarmName: string | undefined;
  private readonly pollIntervalMs: number;
  private readonly tracking: RolloutTracking;
  private readonly clock: Clock;

  constructor(options: EcsRunnerDeploymentOptions) {
    if (!/^[A-Za-z0-9.-]+(?::\d+)?\/[a-z0-9._\/-]+$/.test(options.mirrorRepositoryUrl)) {
      throw new Error(
        `mirrorRepositoryUrl "${options.mirrorRepositoryUrl}" is not a repository URL; use host and repository without scheme, tag or digest, ` +
          'e.g. 123456789012.dkr.ecr.eu-central-1.amazonaws.com/private-runner-kit/t/tf-block-runner',
      );
    }
    const pollIntervalMs = options.pollIntervalMs ?? 15_000;
    if (!Number.isFinite(pollIntervalMs) || pollIntervalMs <= 0) throw new Error(`pollIntervalMs must be a positive number of milliseconds, got ${pollIntervalMs}`);
    if (!options.cluster || !options.service) throw new Error('cluster and service must name the runner\'s ECS cluster and service; got an empty value');
    this.ecs = options.ecs;
    this.cloudwatch = options.cloudwatch;
    this.cluster = options.cluster;
    this.service = options.service;
    this.mirrorRepositoryUrl = options.mirrorRepositoryUrl.replace(/\/+$/, '');
    this.healthAlarmName = options.healthAlarmName;
    this.pollIntervalMs = pollIntervalMs;
    this.tracking = options.rolloutTracking ?? 'deployment';
    this.clock = options.clock ?? SYSTEM_CLOCK;
  }

  /**
   * The service's task definition (its ARN is the revision) and the digest of the `runner`
   * container's image when it is `<mirrorRepositoryUrl>@sha256:...`; no digest for a tag or a
   * foreign image. `undefined` when the service does not exist or is INACTIVE.
   */
  /** When each rollout of this instance started (epoch ms), so the health alarm is judged from then. */
  private readonly started = new Map<string, number>();

  async current(): Promise<DeployedRevision | undefined> {
    const service = await this.describeService();
    if (!service || service.status === 'INACTIVE') return undefined;
    const revision = this.taskDefinitionOf(service);
    const { taskDefinition } = await this.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: revision }));
    const runner = taskDefinition?.containerDefinitions?.find((c) => c.name === RUNNER_CONTAINER_NAME);
    const prefix = `${this.mirrorRepositoryUrl}@`;
    const digest = runner?.image?.startsWith(prefix) ? runner.image.slice(prefix.length) : undefined;
    return digest !== undefined && isDigest(digest) ? { revision, digest } : { revision };
  }

  /**
   * Registers a revision equal to the family's newest one (the current task settings) except the
   * mirror image (`image`, which must be `<mirrorRepositoryUrl>@sha256:...`) and the
   * `runner-kit:version` tag, then points the service at it. Returns once ECS accepted the change; {@link waitHealthy} follows it.
   */
  async rollOut(image: string, version: string): Promise<Rollout> {
    const prefix = `${this.mirrorRepositoryUrl}@`;
    if (!image.startsWith(prefix) || !isDigest(image.slice(prefix.length))) {
      throw new Error(
        `image "${image}" is not a by-digest reference into the mirror ${this.mirrorRepositoryUrl}; ` +
          `runners only run mirror digests: pass ${prefix}sha256:<64 hex> (ImageMirror.imageReference)`,
      );
    }
    const service = await this.requireService(`roll out ${version}`);
    const previousRevision = this.taskDefinitionOf(service);
    // The base is the family's newest ACTIVE revision, not necessarily the running one: a later
    // `cdktf deploy` that changed the task settings (cpu, memory, environment) registers a new
    // revision without moving the service (the updater owns which revision runs), and the next
    // rollout carries those settings with the new image. Revisions the updater registered differ
    // from Terraform's only in the image and version tag, so the newest is always the current settings.
    const base = familyOf(previousRevision) ?? previousRevision;
    const described = await this.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: base, include: ['TAGS'] }));
    const request = cloneTaskDefinitionWithImage(described, { mirrorRepositoryUrl: this.mirrorRepositoryUrl, image, version });
    const registered = await this.ecs.send(new RegisterTaskDefinitionCommand(request));
    const revision = registered.taskDefinition?.taskDefinitionArn;
    if (!revision) throw new Error(`RegisterTaskDefinition for family ${request.family} answered without a taskDefinitionArn; the service was not changed`);
    this.started.set(revision, this.clock.now());
    await this.updateService(revision);
    return { revision, previousRevision };
  }

  /** Points the service back at `revision`, a task-definition ARN of the same family. */
  async restore(revision: string): Promise<Rollout> {
    const service = await this.requireService(`restore ${revision}`);
    const previousRevision = this.taskDefinitionOf(service);
    const [wanted, running] = [familyOf(revision), familyOf(previousRevision)];
    if (wanted !== undefined && running !== undefined && wanted !== running) {
      throw new Error(
        `cannot restore ${shortArn(revision)} on ECS service ${this.service}: it runs family ${running}, and a revision of another family is another workload; ` +
          'pass a revision recorded for this runner',
      );
    }
    this.started.set(revision, this.clock.now());
    await this.updateService(revision);
    return { revision, previousRevision };
  }

  /**
   * Polls DescribeServices every `pollIntervalMs` until {@link assessRollout} reports the rollout
   * complete or failed, or `timeoutSeconds` have passed. Once complete, a set `healthAlarmName`
   * must not have entered ALARM since the rollout started (INSUFFICIENT_DATA counts as quiet); an
   * alarm that does not exist is unhealthy, since health can then not be verified.
   *
   * An alarm that was already in ALARM before the rollout began does not fail it: the runner was
   * unhealthy before, the alarm lags by its evaluation period, and an update (or a rollback) may
   * be exactly what fixes it. Refusing then would leave a broken runner unfixable.
   */
  async waitHealthy(rollout: Rollout, timeoutSeconds: number): Promise<RolloutHealth> {
    let primaryObserved = false;
    const observe = async (): Promise<RolloutObservation> => {
      const service = await this.describeService();
      if (!service || service.status === 'INACTIVE') {
        return { state: 'failed', reason: `ECS service ${this.service} in cluster ${this.cluster} no longer exists; ${shortArn(rollout.revision)} cannot become healthy` };
      }
      const assessment = assessRollout(service, rollout, this.tracking, { primaryObserved });
      if (assessment.state === 'in-progress') primaryObserved ||= assessment.primaryIsRollout;
      return assessment;
    };
    return pollRollout(observe, {
      subject: `ECS service ${this.service}`,
      revision: shortArn(rollout.revision),
      timeoutSeconds,
      pollIntervalMs: this.pollIntervalMs,
      clock: this.clock,
      verify: () => this.healthAlarmVerdict(this.started.get(rollout.revision)),
    });
  }

  private async healthAlarmVerdict(startedAt: number | undefined): Promise<RolloutHealth> {
    const name = this.healthAlarmName;
    if (name === undefined) return { healthy: true };
    const answer = await this.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: [name], AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] }));
    const alarm = [...(answer.MetricAlarms ?? []), ...(answer.CompositeAlarms ?? [])].find((a) => a.AlarmName === name);
    if (!alarm) {
      return { healthy: false, reason: `health alarm ${name} does not exist, so the runner's health cannot be verified; fix healthAlarmName or deploy the stack that creates it` };
    }
    const since = alarm.StateUpdatedTimestamp?.getTime();
    const predates = startedAt !== undefined && since !== undefined && since < startedAt;
    if (alarm.StateValue === 'ALARM' && !predates) {
      return { healthy: false, reason: `health alarm ${name} is in ALARM${alarm.StateReason ? `: ${alarm.StateReason}` : ''}` };
    }
    return { healthy: true };
  }

  private async describeService(): Promise<Service | undefined> {
    const answer = await this.ecs.send(new DescribeServicesCommand({ cluster: this.cluster, services: [this.service] }));
    const service = answer.services?.[0];
    if (service) return service;
    const failure = answer.failures?.[0];
    if (failure && failure.reason !== 'MISSING') {
      throw new Error(`DescribeServices for ECS service ${this.service} in cluster ${this.cluster} failed: ${failure.reason ?? 'unknown'}${failure.detail ? ` (${failure.detail})` : ''}`);
    }
    return undefined;
  }

  private async requireService(what: string): Promise<Service> {
    const service = await this.describeService();
    if (!service || service.status !== 'ACTIVE') {
      throw new Error(
        `cannot ${what}: ECS service ${this.service} in cluster ${this.cluster} ${service ? `is ${service.status}` : 'does not exist'}; ` +
          'deploy the runner stack first (cdktf deploy), then run the updater again',
      );
    }
    return service;
  }

  private taskDefinitionOf(service: Service): string {
    if (!service.taskDefinition) {
      const controller = service.deploymentController?.type ?? 'unknown';
      throw new Error(`ECS service ${this.service} has no task definition (deployment controller ${controller}); the updater only manages services with the ECS deployment controller`);
    }
    return service.taskDefinition;
  }

  private async updateService(taskDefinition: string): Promise<void> {
    await this.ecs.send(new UpdateServiceCommand({ cluster: this.cluster, service: this.service, taskDefinition }));
  }
}

/** The family of a task-definition ARN or `family:revision`; undefined for anything else. */
function familyOf(revision: string): string | undefined {
  const match = /(?:^|:task-definition\/)([A-Za-z0-9_-]+):\d+$/.exec(revision);
  return match?.[1];
}
