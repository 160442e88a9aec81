/**
 * run-controller's log lines as it writes them (format strings at v1.3.0), and the verdict the
 * cloud-neutral interpreter gives a pod.
 */
import type { LogEvent } from '../../../../updater/core/runner-logs/log-event';
import { RUN_CONTROLLER_LINES, runControllerVerdict } from '../../../../updater/core/runner-logs/run-controller';
import { controllerLine } from '../../../support/runner-log-lines';

const at = (seconds: number, message: string): LogEvent => ({ timestamp: seconds * 1000, message });

describe('run-controller lines', () => {
  it('each pattern matches its line and no other', () => {
    const samples: Record<keyof typeof RUN_CONTROLLER_LINES, string[]> = {
      registered: [controllerLine.registered()],
      registrationFailed: [controllerLine.registrationFailed()],
      fatal: [controllerLine.gaveUp(), controllerLine.cryptoFatal()],
      pollingInterval: [controllerLine.interval(10)],
      pollFailed: [controllerLine.pollFailed()],
      loginFailed: [controllerLine.loginFailed()],
      processing: [controllerLine.processing('r')],
    };
    const all = Object.entries(samples).flatMap(([name, lines]) => lines.map((text) => ({ name, text })));
    for (const [name, pattern] of Object.entries(RUN_CONTROLLER_LINES)) {
      expect({ name, matching: [...new Set(all.filter((s) => pattern.test(s.text)).map((s) => s.name))] }).toEqual({ name, matching: [name] });
    }
    expect(Object.values(RUN_CONTROLLER_LINES).filter((p) => p.test(controllerLine.running()) || p.test(controllerLine.registering()))).toEqual([]);
  });
});

describe('runControllerVerdict: does this pod reach meshStack?', () => {
  const started = [at(0, controllerLine.startup()), at(1, controllerLine.registering())];

  it('GIVEN registration succeeded and three polling intervals passed without a failed poll THEN reaching', () => {
    const events = [...started, at(2, controllerLine.registered()), at(2, controllerLine.running()), at(2, controllerLine.interval(10))];
    expect(runControllerVerdict(events, 20_000)).toMatchObject({ state: 'unknown', detail: expect.stringContaining('waiting for 3 polling intervals') });
    expect(runControllerVerdict(events, 32_000)).toEqual({ state: 'reaching', detail: 'registered 30 s ago, no failed poll since (polling every 10 s)' });
  });

  it('GIVEN a longer polling interval in the log THEN the quiet period follows it', () => {
    const events = [...started, at(2, controllerLine.registered()), at(2, controllerLine.interval(30))];
    expect(runControllerVerdict(events, 62_000).state).toBe('unknown');
    expect(runControllerVerdict(events, 92_000).state).toBe('reaching');
  });

  it('GIVEN a poll returned a run THEN reaching at once', () => {
    const events = [...started, at(2, controllerLine.registered()), at(12, controllerLine.processing('run-1'))];
    expect(runControllerVerdict(events, 12_000)).toEqual({ state: 'reaching', detail: 'registered and claimed run run-1' });
  });

  it('GIVEN registration keeps failing (wrong secret: 401; unknown UUID: 404) THEN failing after three attempts, with the detail', () => {
    const notFound = 'controller registration failed: controller u not found in meshfed — create it via the meshStack UI or API before starting the run-controller';
    const events = [...started, at(2, controllerLine.registrationFailed(notFound)), at(12, controllerLine.registrationFailed(notFound))];
    expect(runControllerVerdict(events, 20_000)).toMatchObject({ state: 'unknown', detail: expect.stringContaining('not registered yet') });
    expect(runControllerVerdict([...events, at(22, controllerLine.registrationFailed(notFound))], 25_000)).toEqual({
      state: 'failing',
      reason: `3 registrations in a row failed; last: registration failed: ${notFound}`,
    });
  });

  it('GIVEN registration succeeded but polls fail THEN failing after three, login and poll in the reason', () => {
    const poll = (t: number) => [at(t, controllerLine.loginFailed()), at(t, controllerLine.pollFailed('unexpected HTTP status: 401'))];
    const events = [...started, at(2, controllerLine.registered()), ...poll(12), ...poll(22), ...poll(32)];
    expect(runControllerVerdict(events, 40_000)).toEqual({
      state: 'failing',
      reason: 'registered, then 3 polls in a row failed; last: login failed: login returned HTTP 401: {}; Error fetching run: unexpected HTTP status: 401',
    });
  });

  it('GIVEN one failed poll after registration THEN unknown (not reaching), however long ago', () => {
    const events = [...started, at(2, controllerLine.registered()), at(12, controllerLine.pollFailed())];
    expect(runControllerVerdict(events, 600_000)).toMatchObject({ state: 'unknown', detail: expect.stringContaining('1 failed poll') });
  });

  it('GIVEN the controller gave up or its keys do not match THEN failing at once', () => {
    expect(runControllerVerdict([...started, at(600, controllerLine.gaveUp())], 600_000)).toMatchObject({ state: 'failing', reason: expect.stringContaining('the controller exited: Failed to register controller after 10m0s') });
    expect(runControllerVerdict([...started, at(2, controllerLine.registered()), at(2, controllerLine.cryptoFatal())], 60_000)).toMatchObject({
      state: 'failing',
      reason: expect.stringContaining('Failed to initialize crypto'),
    });
  });

  it('GIVEN nothing logged yet THEN unknown', () => {
    expect(runControllerVerdict([], 0)).toMatchObject({ state: 'unknown' });
  });
});
