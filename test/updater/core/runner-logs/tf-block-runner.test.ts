/**
 * tf-block-runner's log lines as the runner writes them (format strings at v1.3.0, Go's standard
 * logger with LstdFlags), and what the cloud-neutral interpreters make of them.
 */
import { inTimeOrder, type LogEvent } from '../../../../updater/core/runner-logs/log-event';
import {
  TF_BLOCK_RUNNER_LINES,
  TF_BLOCK_RUNNER_PHRASES,
  tfBlockRunnerRunInProgress,
  tfBlockRunnerStartedAt,
  tfBlockRunnerVerdict,
} from '../../../../updater/core/runner-logs/tf-block-runner';
import { runnerLine as line } from '../../../support/runner-log-lines';

const at = (seconds: number, message: string): LogEvent => ({ timestamp: 1_000_000 + seconds * 1000, message });

describe('tf-block-runner lines', () => {
  it('each pattern matches the line the runner writes, and only that one', () => {
    const samples: Record<keyof typeof TF_BLOCK_RUNNER_LINES, string> = {
      startup: line.startup(),
      pollStarted: line.pollStarted(),
      runCall: line.runCall(),
      pollFailed: line.pollFailed(),
      loginFailed: line.loginFailed(),
      runStarted: line.runStarted('r-1'),
      runFinished: line.runFinished('r-1'),
    };
    for (const [name, pattern] of Object.entries(TF_BLOCK_RUNNER_LINES)) {
      const matching = Object.entries(samples).filter(([, text]) => pattern.test(text)).map(([n]) => n);
      expect({ name, matching }).toEqual({ name, matching: [name] });
    }
  });

  it("the metric-filter phrases are verbatim substrings of the lines they count (and the heartbeat of both [AUTH] lines)", () => {
    expect(line.pollFailed()).toContain(TF_BLOCK_RUNNER_PHRASES.pollFailed);
    expect(line.loginFailed()).toContain(TF_BLOCK_RUNNER_PHRASES.loginFailed);
    expect(line.pollStarted()).toContain(TF_BLOCK_RUNNER_PHRASES.heartbeat);
    expect(line.runCall()).toContain(TF_BLOCK_RUNNER_PHRASES.heartbeat);
    expect(line.runStarted('x')).not.toContain(TF_BLOCK_RUNNER_PHRASES.pollFailed);
  });

  it('inTimeOrder sorts by time, keeps the order of lines in the same millisecond and drops a trailing newline', () => {
    expect(inTimeOrder([at(2, 'b\n'), at(1, 'a'), at(2, 'c')]).map((e) => e.message)).toEqual(['a', 'b', 'c']);
  });
});

describe('tfBlockRunnerVerdict: does this container reach meshStack?', () => {
  it('GIVEN two polls without a failure between them THEN reaching', () => {
    expect(tfBlockRunnerVerdict([at(0, line.startup()), at(1, line.pollStarted()), at(11, line.pollStarted())])).toEqual({ state: 'reaching', detail: '1 successful poll(s)' });
  });

  it('GIVEN a poll that claimed a run THEN reaching, naming the run', () => {
    expect(tfBlockRunnerVerdict([at(1, line.pollStarted()), at(2, line.runStarted('run-7'))])).toEqual({ state: 'reaching', detail: 'claimed run run-7' });
  });

  it('GIVEN every poll answered 401 THEN failing after two polls in a row, with the error text', () => {
    const one = [at(1, line.pollStarted()), at(2, line.pollFailed())];
    expect(tfBlockRunnerVerdict(one)).toMatchObject({ state: 'unknown', detail: expect.stringContaining('one failed poll (unexpected error: unexpected HTTP status: 401)') });
    const two = [...one, at(62, line.pollStarted()), at(63, line.pollFailed())];
    expect(tfBlockRunnerVerdict(two)).toEqual({ state: 'failing', reason: '2 polls in a row failed; last: unexpected error: unexpected HTTP status: 401' });
  });

  it('GIVEN the login fails THEN the login line and the 401 it causes are one failed poll, both in the reason', () => {
    const poll = (t: number) => [at(t, line.pollStarted()), at(t + 1, line.loginFailed()), at(t + 2, line.pollFailed())];
    expect(tfBlockRunnerVerdict(poll(0))).toMatchObject({ state: 'unknown' });
    expect(tfBlockRunnerVerdict([...poll(0), ...poll(61)])).toEqual({
      state: 'failing',
      reason:
        '2 polls in a row failed; last: [ApiKeyAuth] failed to fetch access token: login returned HTTP 401: {"error":"invalid_client"}, then unexpected error: unexpected HTTP status: 401',
    });
  });

  it('GIVEN DNS fails (no answer at all) THEN the same: failing after two polls', () => {
    const err = 'Post "https://meshstack.example.com/api/meshobjects/meshbuildingblockruns/create?forRunnerUuid=u": dial tcp: lookup meshstack.example.com: no such host';
    const events = [at(1, line.pollStarted()), at(2, line.pollFailed(err)), at(62, line.pollStarted()), at(63, line.pollFailed(err))];
    expect(tfBlockRunnerVerdict(events)).toMatchObject({ state: 'failing', reason: expect.stringContaining('no such host') });
  });

  it('GIVEN one failed poll and then a good one THEN reaching (a meshStack blip does not roll back)', () => {
    const events = [at(1, line.pollStarted()), at(2, line.pollFailed('unexpected HTTP status: 503')), at(62, line.pollStarted()), at(72, line.pollStarted())];
    expect(tfBlockRunnerVerdict(events)).toMatchObject({ state: 'reaching' });
  });

  it('GIVEN a poll that never returns (the runner sets no HTTP timeout) THEN unknown, never reaching', () => {
    expect(tfBlockRunnerVerdict([at(0, line.startup()), at(1, line.pollStarted())])).toEqual({ state: 'unknown', detail: 'its first poll is under way (no answer yet)' });
  });

  it('GIVEN no recognizable line (e.g. a new log format) THEN unknown, saying what it looked for', () => {
    expect(tfBlockRunnerVerdict([at(0, 'time=2026-07-23T10:00:00Z level=INFO msg="polling"')])).toMatchObject({
      state: 'unknown',
      detail: expect.stringContaining('[AUTH] Using configured auth for API requests'),
    });
  });

  it('GIVEN a run\'s own log line that mentions "unexpected error:" THEN it is no failed poll', () => {
    const events = [at(1, line.pollStarted()), at(2, line.runStarted('r')), at(3, line.perRun('r', 'unexpected error: provider crashed')), at(4, line.perRun('r', 'unexpected error: again'))];
    expect(tfBlockRunnerVerdict(events)).toMatchObject({ state: 'reaching' });
  });

  it('tfBlockRunnerStartedAt is the time of the startup line', () => {
    expect(tfBlockRunnerStartedAt([at(5, line.pollStarted()), at(3, line.startup())])).toBe(1_003_000);
    expect(tfBlockRunnerStartedAt([at(5, line.pollStarted())])).toBeUndefined();
  });
});

describe('tfBlockRunnerRunInProgress: is this container executing a run?', () => {
  const NOW = 1_000_000 + 600 * 1000;
  const STALE = 180_000;
  const live = (events: LogEvent[], seconds = 595) => [...events, at(seconds, line.runCall())];

  it('GIVEN a start line and no finish line, with status calls going on THEN busy with the run id and start time', () => {
    expect(tfBlockRunnerRunInProgress(live([at(10, line.pollStarted()), at(11, line.runStarted('run-42'))]), NOW, STALE)).toEqual({ runId: 'run-42', startedAt: 1_011_000 });
  });

  it('GIVEN the finish line THEN idle', () => {
    const events = [at(10, line.pollStarted()), at(11, line.runStarted('run-42')), at(300, line.runCall()), at(400, line.runFinished('run-42')), at(590, line.pollStarted())];
    expect(tfBlockRunnerRunInProgress(events, NOW, STALE)).toBeUndefined();
  });

  it('GIVEN a start line without a finish line (early failure, worker.go:97-107) and the next poll THEN idle', () => {
    const events = [at(10, line.pollStarted()), at(11, line.runStarted('run-9')), at(12, line.runCall()), at(13, line.pollStarted()), at(590, line.pollStarted())];
    expect(tfBlockRunnerRunInProgress(events, NOW, STALE)).toBeUndefined();
  });

  it('GIVEN only status calls (the start line is older than what was read) THEN busy without a run id', () => {
    expect(tfBlockRunnerRunInProgress([at(500, line.runCall()), at(590, line.runCall())], NOW, STALE)).toEqual({});
  });

  it('GIVEN the container went silent in a run (stopped or hung) THEN no run counts as in progress', () => {
    expect(tfBlockRunnerRunInProgress([at(10, line.runStarted('run-1')), at(20, line.runCall())], NOW, STALE)).toBeUndefined();
  });

  it('GIVEN a finish line of another run THEN the run stays in progress', () => {
    const events = live([at(10, line.runStarted('run-1')), at(20, line.runFinished('run-0'))]);
    expect(tfBlockRunnerRunInProgress(events, NOW, STALE)).toMatchObject({ runId: 'run-1' });
  });

  it('GIVEN a restarted container (startup line after the start line) THEN idle', () => {
    const events = [at(10, line.runStarted('run-1')), at(20, line.startup()), at(590, line.pollStarted())];
    expect(tfBlockRunnerRunInProgress(events, NOW, STALE)).toBeUndefined();
  });
});
