/**
 * What tf-block-runner's log says about meshStack and about runs in progress. Cloud-neutral: the
 * same lines reach CloudWatch Logs (ECS), Log Analytics (Azure Container Instances) and Cloud
 * Logging (Cloud Run); an adapter only fetches them.
 *
 * Every pattern below is the runner's own text, at meshcloud/building-block-runner v1.3.0
 * (commit 555405d). The runner logs with Go's standard `log` package, plain text, second
 * resolution: prefixed loggers write `<prefix><YYYY/MM/DD HH:MM:SS> <message>` to stdout, the
 * default logger writes `<YYYY/MM/DD HH:MM:SS> <message>` to stderr. The container platforms
 * capture both streams into one log stream per container (ECS awslogs: "the STDOUT and STDERR I/O
 * streams"). If upstream changes its log format (the unmerged PR #65 moves to `log/slog`), these
 * patterns stop matching and every verdict is "unknown": the updater then keeps the old release
 * (rolled back: "no runner showed that it reaches meshStack") instead of adopting one it cannot
 * verify. Re-check at every minor release.
 */
import type { MeshstackObservation } from '../meshstack-signal';
import { GO_LOG_TIME, inTimeOrder, type LogEvent } from './log-event';

const T = GO_LOG_TIME;

/** The lines the kit reads, with where the runner writes them (v1.3.0). */
export const TF_BLOCK_RUNNER_LINES = {
  /** First line of every process (`[TF RUNNER] `, stdout; main.go:27): marks a new container. */
  startup: new RegExp(String.raw`^\[TF RUNNER\] ${T} Build metadata: version=(\S*)$`),
  /**
   * Every poll for a run (default logger, stderr; tfrun/runapi.go:27, `AuthHeader` without a run
   * token). One per poll on success and on failure alike: the worker loop's heartbeat, about one per
   * 10 s when polls succeed (manager.go:14) and one per 60 s when they fail (manager.go:13).
   */
  pollStarted: new RegExp(String.raw`^${T} \[AUTH\] Using configured auth for API requests$`),
  /** Every call about a run in progress (runapi.go:23): the status PATCH every 10 s (manager.go:75, worker.go:232-235). */
  runCall: new RegExp(String.raw`^${T} \[AUTH\] Using Bearer token for run-specific operations$`),
  /** A poll failed: any status but 200/201/404/409, or no answer (`[WORKER-001] `, stdout; worker.go:77 and :87). */
  pollFailed: new RegExp(String.raw`^\[WORKER-\d{3}\] ${T} unexpected error: (.*)$`),
  /** API-key login failed (default logger, stderr; go-meshapi-client meshapi/auth.go:98); the poll is then sent without a token. */
  loginFailed: new RegExp(String.raw`^${T} \[ApiKeyAuth\] failed to fetch access token: (.*)$`),
  /** A claimed run starts (worker.go:94): `Start execution of run <id>: <APPLY|DETECT|DESTROY> <name>`. */
  runStarted: new RegExp(String.raw`^\[WORKER-\d{3}\] ${T} Start execution of run (\S+): `),
  /** The run ended, whatever its result (worker.go:131): `Finished execution of <behaviour> run <id>: <name>`. */
  runFinished: new RegExp(String.raw`^\[WORKER-\d{3}\] ${T} Finished execution of \S+ run (\S+): `),
} as const;

/**
 * The same facts as phrases for a log store's own filters (CloudWatch metric filters match an exact
 * phrase anywhere in a line, case-sensitive). Coarser than the patterns above: a phrase cannot
 * anchor the prefix. Each is a verbatim substring of the runner's line.
 */
export const TF_BLOCK_RUNNER_PHRASES = {
  /** The poll-failure line (worker.go:77, :87). */
  pollFailed: 'unexpected error:',
  /** The login-failure line (meshapi/auth.go:98). */
  loginFailed: '[ApiKeyAuth] failed to fetch access token',
  /** Both `[AUTH]` lines (runapi.go:23, :27): the worker loop is alive, idle or in a run. */
  heartbeat: '[AUTH] Using',
} as const;

/**
 * Polls in a row that must fail before an instance counts as failing. One failed poll can be a
 * meshStack blip; two in a row are at least 60 s apart (the runner waits FAILED_WORKER_DELAY after
 * a failure), so a persistent failure shows within about 70 s of the first.
 */
export const FAILED_POLLS_TO_FAIL = 2;

/**
 * Whether one tf-block-runner container reaches meshStack, from its lines since it started.
 *
 * A poll is the span from one `[AUTH] Using configured auth` line to the next. It failed when an
 * `unexpected error:` or `[ApiKeyAuth] failed` line falls into it; it succeeded when the next poll
 * started without one, or when it claimed a run (`Start execution of run`). A poll that never ends
 * (no answer: the runner sets no HTTP timeout, runapi.go:62) proves nothing, so a hung runner stays
 * unknown and fails the gate at its deadline.
 */
export function tfBlockRunnerVerdict(events: readonly LogEvent[]): MeshstackObservation {
  let poll: 'none' | 'open' | 'failed' = 'none';
  let succeeded = 0;
  let failedInRow = 0;
  let claimed: string | undefined;
  let lastFailure: string | undefined;
  for (const { message } of inTimeOrder(events)) {
    const L = TF_BLOCK_RUNNER_LINES;
    if (L.pollStarted.test(message)) {
      if (poll === 'open') {
        succeeded++;
        failedInRow = 0;
      }
      poll = 'open';
      continue;
    }
    const pollFailure = L.pollFailed.exec(message);
    const loginFailure = L.loginFailed.exec(message);
    if (pollFailure || loginFailure) {
      const text = pollFailure ? `unexpected error: ${pollFailure[1]}` : `[ApiKeyAuth] failed to fetch access token: ${loginFailure![1]}`;
      // A failed login and the poll it spoils are one failed poll; both lines go into the reason.
      lastFailure = poll === 'failed' && lastFailure !== undefined ? `${lastFailure}, then ${text}` : text;
      if (poll !== 'failed') failedInRow++;
      poll = 'failed';
      continue;
    }
    const run = L.runStarted.exec(message);
    if (run) {
      succeeded++;
      failedInRow = 0;
      claimed = run[1];
      poll = 'none';
    }
  }
  if (failedInRow >= FAILED_POLLS_TO_FAIL) return { state: 'failing', reason: `${failedInRow} polls in a row failed; last: ${lastFailure}` };
  if (succeeded > 0 && failedInRow === 0) {
    return { state: 'reaching', detail: claimed !== undefined ? `claimed run ${claimed}` : `${succeeded} successful poll(s)` };
  }
  if (failedInRow === 1) return { state: 'unknown', detail: `one failed poll (${lastFailure}); the runner retries 60 s later` };
  if (poll === 'open') return { state: 'unknown', detail: 'its first poll is under way (no answer yet)' };
  return {
    state: 'unknown',
    detail: 'no poll logged yet ("[AUTH] Using configured auth for API requests"; if this release changed its log format, the kit must learn it before it can verify it)',
  };
}

/** The time of the container's startup line, when `events` hold it. */
export function tfBlockRunnerStartedAt(events: readonly LogEvent[]): number | undefined {
  return inTimeOrder(events).find((e) => TF_BLOCK_RUNNER_LINES.startup.test(e.message))?.timestamp;
}

export interface RunningRun {
  /** Undefined when the run's start line is older than the lines read (only its status calls were seen). */
  readonly runId?: string;
  readonly startedAt?: number;
}

/**
 * The run one container executes now, from its recent lines, or undefined when it is idle.
 *
 * Walking the lines in order: a start line begins a run; its finish line ends it; so does the next
 * poll (`[AUTH] Using configured auth`), because the runner has one worker (manager.go:65) that polls
 * only between runs. That covers the start line without a finish line that an early failure leaves
 * (worker.go:97-107: the run directory could not be created, the run is reported FAILED, no finish
 * line). A status call (`[AUTH] Using Bearer token`) with no start line before it is a run whose
 * start is older than the lines read. The verdict holds only for a live container: one whose last
 * line is at most `staleAfterMs` old (a run makes a status call every 10 s); a container that went
 * silent was stopped or is hung, and replacing it kills no run.
 *
 * @param events the container's lines of at least the runner's run timeout (`timeoutMins`) plus
 *   60 s (terraform-exec's WaitDelay) plus a margin, so that every start line of a run that can
 *   still be in progress is among them.
 */
export function tfBlockRunnerRunInProgress(events: readonly LogEvent[], now: number, staleAfterMs: number): RunningRun | undefined {
  let run: RunningRun | undefined;
  let last = Number.NEGATIVE_INFINITY;
  for (const { timestamp, message } of inTimeOrder(events)) {
    last = Math.max(last, timestamp);
    const L = TF_BLOCK_RUNNER_LINES;
    if (L.pollStarted.test(message) || L.startup.test(message)) {
      run = undefined;
      continue;
    }
    const started = L.runStarted.exec(message);
    if (started) {
      run = { runId: started[1], startedAt: timestamp };
      continue;
    }
    const finished = L.runFinished.exec(message);
    if (finished && (run?.runId === undefined || run.runId === finished[1])) {
      run = undefined;
      continue;
    }
    if (L.runCall.test(message) && run === undefined) run = {};
  }
  return run !== undefined && now - last <= staleAfterMs ? run : undefined;
}
