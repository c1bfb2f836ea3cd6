import { backoffDelayMs } from '@cto/messaging';
import { failureBackoff } from './store-subscription';

describe('failureBackoff: how long a follower of the log waits after failed catch-ups', () => {
  it('waits twice the poll interval after the first failure, doubling to 30 s', () => {
    const waits = [1, 2, 3, 6, 7, 8, 50].map((failures) => backoffDelayMs(failures, failureBackoff(250)));
    expect(waits).toEqual([500, 1_000, 2_000, 16_000, 30_000, 30_000, 30_000]);
  });

  it('never waits less than the poll interval when that is longer than 30 s', () => {
    expect([1, 2, 10].map((failures) => backoffDelayMs(failures, failureBackoff(60_000)))).toEqual([60_000, 60_000, 60_000]);
    expect(backoffDelayMs(1, failureBackoff(20_000))).toBe(30_000);
  });
});
