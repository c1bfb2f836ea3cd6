/**
 * Retry with backoff, once for the whole codebase (issue 18 item 7; Emmett's `asyncRetry` is the
 * model): the buses' handler retries and dead-letter publishing, the Kafka consumer's start-offset
 * fix and admin calls, the store subscriptions' and the reporting projection's polling after a
 * failure, and a command's retry on a version conflict all take their waits from here.
 *
 * Three parts, each usable alone:
 *  - `backoffDelayMs`: the wait after n failures — exponential, capped, optionally jittered. Pure
 *    (the randomness is an argument), so its arithmetic is unit-tested without a clock.
 *  - `sleep`: a wait that an AbortSignal cuts short. It resolves, never rejects: whoever stopped it
 *    already knows why.
 *  - `retryWithBackoff` / `retryOrThrow`: the attempt loop — try, and on failure ask `retryIf`, tell
 *    `onFailure`, wait, try again; before every attempt, stop if the signal aborted or `stopped()`
 *    says so. A caller whose wait must do more than wait (the Kafka consumer heartbeats through it)
 *    passes its own `wait`.
 * A caller that schedules its next try on a timer of its own (the in-process bus, whose retry timer
 * is part of a partition's state; the pollers, which a wake-up may run early) uses `backoffDelayMs`
 * alone.
 *
 * Why here, in libs/messaging: it needs timers, so not in libs/domain, the pure core; and the lint
 * rules (eslint.config.mjs, `@nx/enforce-module-boundaries`) let an adapter depend only on the core,
 * so it must sit in the lowest library that every caller may import. The buses are callers
 * themselves, and libs/runtime and the services may import an adapter, so that library is this one.
 * It imports nothing, so if libs/event-store ever needs it, it moves to a `type:util` library of
 * its own (STYLE.md: adapters depend "on the core and utils") without changing a caller's code.
 */

export interface Backoff {
  /** The wait after the first failure. */
  initialMs: number;
  /** No wait is longer than this (jitter only shortens a wait). */
  maxMs: number;
  /** Each further failure multiplies the wait by this. Default 2. */
  factor?: number;
  /**
   * 0 (the default): exact waits. Up to 1: each wait is shortened by a random share of at most
   * this much (1 is "full jitter"), so clients that failed together do not all retry together.
   */
  jitter?: number;
}

/** Try again at once: a version conflict is settled by reading again, not by waiting. */
export const NO_WAIT: Backoff = { initialMs: 0, maxMs: 0 };

/**
 * The wait before the next attempt after `failures` failed ones: initialMs after the first,
 * multiplied by `factor` for each further one, never above maxMs; then jittered. `random` returns
 * a number in [0, 1), as Math.random does.
 */
export function backoffDelayMs(failures: number, backoff: Backoff, random: () => number = Math.random): number {
  const { initialMs, maxMs, factor = 2 } = backoff;
  const jitter = Math.min(1, Math.max(0, backoff.jitter ?? 0));
  // No wait at all is not multiplied: 0 × factor ** 1100 would be 0 × Infinity, NaN.
  const exact = initialMs > 0 ? Math.min(initialMs * factor ** Math.max(0, failures - 1), maxMs) : 0;
  return jitter > 0 ? exact * (1 - jitter * random()) : exact;
}

/**
 * Resolves after `ms`, or as soon as `signal` aborts (at once if it already has), with whether the
 * whole wait passed. Never rejects.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (whole: boolean) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', aborted);
      resolve(whole);
    };
    const aborted = () => done(false);
    const timer = setTimeout(() => done(true), ms);
    signal?.addEventListener('abort', aborted, { once: true });
  });
}

export interface RetryOptions {
  backoff: Backoff;
  /** Whether to try again after `failures` failed attempts, the last ending in `error`. Default: always. */
  retryIf?: (error: unknown, failures: number) => boolean;
  /** Told of every failure, and whether another attempt follows (for the log). */
  onFailure?: (error: unknown, failures: number, willRetry: boolean) => void;
  /** Aborting it stops the attempts and cuts the wait between them short. */
  signal?: AbortSignal;
  /** Asked before every attempt, the first included: true stops (a stop flag the caller keeps). */
  stopped?: () => boolean;
  /** How to wait `ms` between attempts; default `sleep(ms, signal)`. Not called for a wait of 0. */
  wait?: (ms: number) => Promise<unknown>;
  /** For jitter; default Math.random. */
  random?: () => number;
}

/** How the attempts ended: the work's value, the error it gave up on, or stopped from outside. */
export type RetryOutcome<T> = { kind: 'done'; value: T; attempts: number } | { kind: 'gave-up'; error: unknown; attempts: number } | { kind: 'stopped'; attempts: number };

/**
 * Calls `work` (with the attempt's number, from 1) until it resolves, `retryIf` says no, or it is
 * stopped. An error thrown by `retryIf`, `onFailure` or `wait` ends the loop with that error.
 */
export async function retryWithBackoff<T>(work: (attempt: number) => Promise<T>, options: RetryOptions): Promise<RetryOutcome<T>> {
  const { backoff, retryIf, onFailure, signal, stopped, wait, random } = options;
  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted || stopped?.()) return { kind: 'stopped', attempts: attempt - 1 };
    try {
      return { kind: 'done', value: await work(attempt), attempts: attempt };
    } catch (error) {
      const willRetry = retryIf ? retryIf(error, attempt) : true;
      onFailure?.(error, attempt, willRetry);
      if (!willRetry) return { kind: 'gave-up', error, attempts: attempt };
      const ms = backoffDelayMs(attempt, backoff, random);
      if (ms > 0) await (wait ? wait(ms) : sleep(ms, signal));
    }
  }
}

/** Stopped (signal or flag) before the work succeeded or was given up on. */
export class RetryStopped extends Error {
  readonly code = 'RETRY_STOPPED';
  constructor(readonly attempts: number) {
    super(`stopped after ${attempts} attempt(s)`);
    this.name = 'RetryStopped';
  }
}

/** `retryWithBackoff`, for a caller that wants the value: throws the error it gave up on, or RetryStopped. */
export async function retryOrThrow<T>(work: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const outcome = await retryWithBackoff(work, options);
  if (outcome.kind === 'done') return outcome.value;
  throw outcome.kind === 'gave-up' ? outcome.error : new RetryStopped(outcome.attempts);
}
