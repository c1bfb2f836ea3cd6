import { Progress } from './progress';

describe('Progress', () => {
  const setup = (isTTY: boolean) => {
    let now = 0;
    const written: string[] = [];
    const progress = new Progress({ error: () => undefined, isTTY }, (t) => written.push(t), () => now);
    return { progress, written, at: (ms: number) => (now = ms) };
  };

  it('shows nothing for work done within two seconds', () => {
    const { progress, written, at } = setup(true);
    const bar = progress.tracker('judging', 10);
    at(1999);
    bar.tick(9);
    bar.end();
    expect(written).toEqual([]);
  });

  it('draws a bar on a terminal once the work has run two seconds, at most every 200 ms, and ends the line', () => {
    const { progress, written, at } = setup(true);
    const bar = progress.tracker('judging', 10);
    at(2500);
    bar.tick(5);
    at(2600);
    bar.tick(6);
    at(2800);
    bar.tick(10);
    bar.end();
    expect(written).toEqual([`\rjudging [${'#'.repeat(15)}${'.'.repeat(15)}] 5/10`, `\rjudging [${'#'.repeat(30)}] 10/10`, '\n']);
  });

  it('shows nothing when the output is not a terminal', () => {
    const { progress, written, at } = setup(false);
    const bar = progress.tracker('judging', 10);
    at(5000);
    bar.tick(5);
    bar.end();
    expect(written).toEqual([]);
  });
});
