/**
 * The one retry helper (retry.ts). The waits are pure arithmetic and tested as such; the loop and
 * `sleep` run on Jest's fake timers, so no test here waits on the real clock.
 */
import { backoffDelayMs, NO_WAIT, retryOrThrow, RetryStopped, retryWithBackoff, sleep, type Backoff } from './retry';

describe('backoffDelayMs: the wait after n failures', () => {
  it('doubles from initialMs up to the cap (the in-process bus with backoffMs 50, maxBackoffMs 300)', () => {
    expect([1, 2, 3, 4, 5].map((failures) => backoffDelayMs(failures, { initialMs: 50, maxMs: 300 }))).toEqual([50, 100, 200, 300, 300]);
  });

  it('keeps the buses’ defaults: in-process 50 ms doubling to 5 s, Kafka 100 ms doubling to 10 s', () => {
    expect([1, 2, 7, 8, 30].map((n) => backoffDelayMs(n, { initialMs: 50, maxMs: 5_000 }))).toEqual([50, 100, 3_200, 5_000, 5_000]);
    expect([1, 2, 7, 8, 30].map((n) => backoffDelayMs(n, { initialMs: 100, maxMs: 10_000 }))).toEqual([100, 200, 6_400, 10_000, 10_000]);
  });

  it('treats 0 failures like the first (the wait before a second attempt)', () => {
    expect(backoffDelayMs(0, { initialMs: 50, maxMs: 300 })).toBe(50);
  });

  it('multiplies by another factor when asked, and a constant wait is initialMs = maxMs', () => {
    expect([1, 2, 3].map((n) => backoffDelayMs(n, { initialMs: 100, maxMs: 10_000, factor: 3 }))).toEqual([100, 300, 900]);
    expect([1, 2, 40].map((n) => backoffDelayMs(n, { initialMs: 250, maxMs: 250 }))).toEqual([250, 250, 250]);
  });

  it('stays at the cap however many failures, and never waits NaN for a backoff of 0', () => {
    expect(backoffDelayMs(5_000, { initialMs: 50, maxMs: 300 })).toBe(300);
    expect(backoffDelayMs(5_000, NO_WAIT)).toBe(0);
    expect(backoffDelayMs(5_000, { initialMs: 0, maxMs: 5_000 })).toBe(0);
  });

  it('jitter shortens a wait by at most its share, never lengthens it', () => {
    const backoff: Backoff = { initialMs: 100, maxMs: 1_000, jitter: 0.5 };
    expect(backoffDelayMs(2, backoff, () => 0)).toBe(200);
    expect(backoffDelayMs(2, backoff, () => 0.5)).toBe(150);
    expect(backoffDelayMs(2, backoff, () => 0.999)).toBeCloseTo(100.1);
    // Full jitter: anywhere from 0 up to the exact wait.
    expect(backoffDelayMs(5, { initialMs: 100, maxMs: 1_000, jitter: 1 }, () => 0.25)).toBe(750);
    // Out of range is clamped, not trusted: never a negative wait, never a longer one.
    expect(backoffDelayMs(1, { initialMs: 100, maxMs: 1_000, jitter: 7 }, () => 0.5)).toBe(50);
    expect(backoffDelayMs(1, { initialMs: 100, maxMs: 1_000, jitter: -1 }, () => 0.5)).toBe(100);
  });
});

describe('sleep', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('resolves true once the whole wait has passed', async () => {
    let result: boolean | undefined;
    void sleep(1_000).then((whole) => (result = whole));
    await jest.advanceTimersByTimeAsync(999);
    expect(result).toBeUndefined();
    await jest.advanceTimersByTimeAsync(1);
    expect(result).toBe(true);
  });

  it('resolves false as soon as the signal aborts, leaving no timer behind', async () => {
    const controller = new AbortController();
    const slept = sleep(60_000, controller.signal);
    controller.abort();
    await expect(slept).resolves.toBe(false);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('does not wait at all on a signal already aborted', async () => {
    await expect(sleep(60_000, AbortSignal.abort())).resolves.toBe(false);
    expect(jest.getTimerCount()).toBe(0);
  });
});

describe('retryWithBackoff', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  /** Work that fails `failures` times, then answers 'ok'; records when each attempt started. */
  // jest.now() reads the fake clock: the same value Date.now() gives under fake timers, but it says so.
  const failing = (failures: number) => {
    const startedAt: number[] = [];
    const work = async (attempt: number) => {
      startedAt.push(jest.now());
      if (attempt <= failures) throw new Error(`failure ${attempt}`);
      return 'ok';
    };
    return { work, startedAt };
  };

  it('tries again after each backoff until the work succeeds', async () => {
    const { work, startedAt } = failing(3);
    const t0 = jest.now();
    const done = retryWithBackoff(work, { backoff: { initialMs: 100, maxMs: 250 } });
    await jest.advanceTimersByTimeAsync(1_000);
    await expect(done).resolves.toEqual({ kind: 'done', value: 'ok', attempts: 4 });
    expect(startedAt.map((t) => t - t0)).toEqual([0, 100, 300, 550]);
  });

  it('gives up when retryIf says no, with the last error and every failure told to onFailure', async () => {
    const { work } = failing(10);
    const told: [string, number, boolean][] = [];
    const done = retryWithBackoff(work, {
      backoff: { initialMs: 10, maxMs: 10 },
      retryIf: (_, failures) => failures < 3,
      onFailure: (error, failures, willRetry) => told.push([(error as Error).message, failures, willRetry]),
    });
    await jest.advanceTimersByTimeAsync(100);
    const outcome = await done;
    expect(outcome).toMatchObject({ kind: 'gave-up', attempts: 3 });
    expect((outcome as { error: Error }).error.message).toBe('failure 3');
    expect(told).toEqual([
      ['failure 1', 1, true],
      ['failure 2', 2, true],
      ['failure 3', 3, false],
    ]);
  });

  it('passes the error to retryIf, so only some errors are retried', async () => {
    const refusal = new TypeError('not retriable');
    const done = retryWithBackoff(() => Promise.reject(refusal), { backoff: NO_WAIT, retryIf: (error) => !(error instanceof TypeError) });
    await expect(done).resolves.toEqual({ kind: 'gave-up', error: refusal, attempts: 1 });
  });

  it('retries at once, without a timer, when the backoff is no wait', async () => {
    const { work } = failing(4);
    await expect(retryWithBackoff(work, { backoff: NO_WAIT })).resolves.toMatchObject({ kind: 'done', attempts: 5 });
  });

  it('stops when the signal aborts: the wait is cut short and no further attempt is made', async () => {
    const { work, startedAt } = failing(100);
    const controller = new AbortController();
    const done = retryWithBackoff(work, { backoff: { initialMs: 60_000, maxMs: 60_000 }, signal: controller.signal });
    await jest.advanceTimersByTimeAsync(0);
    expect(startedAt).toHaveLength(1);
    controller.abort();
    await expect(done).resolves.toEqual({ kind: 'stopped', attempts: 1 });
    expect(startedAt).toHaveLength(1);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('stops on a stop flag, checked before every attempt, the first included', async () => {
    await expect(retryWithBackoff(() => Promise.resolve('never'), { backoff: NO_WAIT, stopped: () => true })).resolves.toEqual({ kind: 'stopped', attempts: 0 });
    let stop = false;
    const { work } = failing(100);
    const done = retryWithBackoff(work, { backoff: { initialMs: 100, maxMs: 100 }, stopped: () => stop });
    await jest.advanceTimersByTimeAsync(250);
    stop = true;
    await jest.advanceTimersByTimeAsync(100);
    await expect(done).resolves.toEqual({ kind: 'stopped', attempts: 3 });
  });

  it('waits with the caller’s wait when given one (the Kafka consumer heartbeats through it)', async () => {
    const waits: number[] = [];
    const { work } = failing(3);
    const done = retryWithBackoff(work, { backoff: { initialMs: 100, maxMs: 1_000 }, wait: async (ms) => void waits.push(ms) });
    await expect(done).resolves.toMatchObject({ kind: 'done', attempts: 4 });
    expect(waits).toEqual([100, 200, 400]);
  });

  it('ends with the error a wait throws (a Kafka rebalance during a backoff)', async () => {
    const rebalance = new Error('The group is rebalancing');
    const { work } = failing(5);
    await expect(retryWithBackoff(work, { backoff: { initialMs: 100, maxMs: 100 }, wait: () => Promise.reject(rebalance) })).rejects.toBe(rebalance);
  });

  it('jitters the waits with the random source given', async () => {
    const waits: number[] = [];
    const { work } = failing(2);
    await retryWithBackoff(work, { backoff: { initialMs: 100, maxMs: 1_000, jitter: 1 }, random: () => 0.5, wait: async (ms) => void waits.push(ms) });
    expect(waits).toEqual([50, 100]);
  });
});

describe('retryOrThrow', () => {
  it('returns the value, or throws the error it gave up on, or RetryStopped', async () => {
    let n = 0;
    await expect(retryOrThrow(async () => (++n < 3 ? Promise.reject(new Error('again')) : n), { backoff: NO_WAIT })).resolves.toBe(3);
    const last = new Error('last');
    await expect(retryOrThrow(() => Promise.reject(last), { backoff: NO_WAIT, retryIf: (_, failures) => failures < 2 })).rejects.toBe(last);
    await expect(retryOrThrow(() => Promise.resolve(1), { backoff: NO_WAIT, signal: AbortSignal.abort() })).rejects.toBeInstanceOf(RetryStopped);
  });
});
