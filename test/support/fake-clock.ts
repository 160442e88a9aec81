/**
 * A clock for the updater's waits that advances only when slept on, so tests of bounded waits run
 * instantly and deterministically. `onSleep` lets a test change the world at a given time.
 */
import type { Clock } from '../../updater/core/rollout-poll';

export class FakeClock implements Clock {
  /** Every sleep, in milliseconds, in order. */
  readonly sleeps: number[] = [];
  private readonly listeners: ((now: number) => void)[] = [];

  constructor(private time: number) {}

  now = (): number => this.time;

  sleep = async (ms: number): Promise<void> => {
    this.sleeps.push(ms);
    this.time += ms;
    for (const listener of this.listeners) listener(this.time);
  };

  /** Calls `listener` with the new time after every sleep. */
  onSleep(listener: (now: number) => void): this {
    this.listeners.push(listener);
    return this;
  }

  get slept(): number {
    return this.sleeps.reduce((a, b) => a + b, 0);
  }
}
