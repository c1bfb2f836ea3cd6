/**
 * CLOCK_START: a demonstration or a test starts on its own day, outside production only, and the
 * clock runs on from it.
 */
import { AdjustableClock } from './clock';
import { ConfigInvalid, loadConfig } from './config';

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigInvalid) return error.problems;
    throw error;
  }
  return [];
};

describe('CLOCK_START', () => {
  it('is read as the instant the clock starts from', () => {
    expect(loadConfig({ CLOCK_START: '2026-06-01T09:00:00Z' }).clockStart).toBe('2026-06-01T09:00:00Z');
    expect(loadConfig({}).clockStart).toBeUndefined();
  });

  it('refuses what is not an instant with an offset, saying how to write one', () => {
    for (const bad of ['2026-06-01', 'tomorrow', '2026-13-40T09:00:00Z', '2026-06-01T09:00:00']) {
      expect(problemsOf({ CLOCK_START: bad })).toEqual([expect.stringMatching(/must be an ISO 8601 instant with an offset, e\.g\. 2026-06-01T09:00:00Z/)]);
    }
  });

  it('is refused in production', () => {
    expect(problemsOf({ NODE_ENV: 'production', AUTH_JWT_SECRET: 's'.repeat(32), CLOCK_START: '2026-06-01T09:00:00Z' })).toEqual([
      expect.stringMatching(/CLOCK_START is refused in production/),
    ]);
  });

  it('runs on from the set instant', () => {
    let system = 1_000_000;
    const clock = new AdjustableClock(() => system);
    clock.set('2026-06-01T09:00:00Z');
    system += 90_000;
    expect(clock.now()).toBe('2026-06-01T09:01:30.000Z');
  });
});
