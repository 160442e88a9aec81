/**
 * The runner's tasks on the AWS API emulator. moto runs no container, so nothing would ever write the
 * runner's log; this plays the part of ECS plus tf-block-runner: whenever the service points at a new
 * task definition it "starts a task" (a new `runner/runner/<id>` stream in the runner's log group,
 * beginning with the runner's startup line) and writes, every `tickMs`, the lines tf-block-runner
 * writes for one poll: healthy (`[AUTH] Using configured auth`), or failing (the same line, then
 * `unexpected error: unexpected HTTP status: 401`) when the image is listed in `failingImages`. The
 * previous task's stream stops, as a stopped task's does. Runs can be started and finished on the
 * current task, with the runner's start and finish lines and its status calls every tick.
 *
 * The lines are the runner's own (test/support/runner-log-lines.ts); only time is compressed.
 */
import { CreateLogStreamCommand, PutLogEventsCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { randomBytes } from 'node:crypto';
import { runnerLine } from './runner-log-lines';

export interface EmulatedRunnerTasksOptions {
  readonly logs: CloudWatchLogsClient;
  readonly ecs: ECSClient;
  readonly cluster: string;
  readonly service: string;
  readonly logGroupName: string;
  /** @default 40 */
  readonly tickMs?: number;
}

export class EmulatedRunnerTasks {
  /** Runner images whose tasks cannot poll meshStack (every poll answers 401). */
  readonly failingImages = new Set<string>();
  /** Every stream started, in order, with the image its task runs. */
  readonly tasks: { stream: string; image: string; taskDefinition: string }[] = [];
  private taskDefinition: string | undefined;
  private run: string | undefined;
  private pending: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  private busy = Promise.resolve();
  private stopped = false;

  constructor(private readonly o: EmulatedRunnerTasksOptions) {}

  start(): this {
    const tick = () => {
      this.busy = this.busy.then(() => this.tick()).catch((error) => {
        process.stderr.write(`emulated runner tasks: ${String(error)}\n`);
      });
      if (!this.stopped) this.timer = setTimeout(tick, this.o.tickMs ?? 40);
    };
    tick();
    return this;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.busy;
  }

  /** The current task starts run `id`: the start line now, a status call every tick until {@link finishRun}. */
  startRun(id: string): void {
    this.run = id;
    this.pending.push(runnerLine.pollStarted(), runnerLine.runStarted(id));
  }

  finishRun(): void {
    if (this.run === undefined) return;
    this.pending.push(runnerLine.runFinished(this.run));
    this.run = undefined;
  }

  /** Resolves once everything queued so far is written (two ticks). */
  async settle(): Promise<void> {
    for (let i = 0; i < 2; i++) {
      await this.busy;
      await new Promise((r) => setTimeout(r, (this.o.tickMs ?? 40) + 5));
    }
  }

  private async tick(): Promise<void> {
    const service = (await this.o.ecs.send(new DescribeServicesCommand({ cluster: this.o.cluster, services: [this.o.service] }))).services?.[0];
    if (!service?.taskDefinition || service.status !== 'ACTIVE') return;
    if (service.taskDefinition !== this.taskDefinition) await this.startTask(service.taskDefinition);
    const task = this.tasks.at(-1)!;
    const lines = [...this.pending];
    this.pending = [];
    if (this.run !== undefined) lines.push(runnerLine.runCall());
    else if (lines.length === 0) lines.push(runnerLine.pollStarted(), ...(this.failingImages.has(task.image) ? [runnerLine.pollFailed()] : []));
    await this.write(task.stream, lines);
  }

  private async startTask(taskDefinition: string): Promise<void> {
    const described = await this.o.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition }));
    const image = described.taskDefinition?.containerDefinitions?.find((c) => c.name === 'runner')?.image ?? '';
    const stream = `runner/runner/${randomBytes(16).toString('hex')}`;
    await this.o.logs.send(new CreateLogStreamCommand({ logGroupName: this.o.logGroupName, logStreamName: stream }));
    this.taskDefinition = taskDefinition;
    this.run = undefined;
    this.tasks.push({ stream, image, taskDefinition });
    await this.write(stream, [runnerLine.startup()]);
  }

  private async write(stream: string, lines: string[]): Promise<void> {
    const now = Date.now();
    await this.o.logs.send(new PutLogEventsCommand({ logGroupName: this.o.logGroupName, logStreamName: stream, logEvents: lines.map((message) => ({ timestamp: now, message })) }));
  }
}
