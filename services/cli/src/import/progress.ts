/**
 * A progress line on a terminal for work that takes more than two seconds (issue 17), on stderr so
 * that `--json` output stays clean. Nothing is shown when the output is not a terminal.
 */
export interface ProgressOutput {
  error(line: string): void;
  isTTY?: boolean;
}

const SHOW_AFTER_MS = 2000;
const WIDTH = 30;

export class Progress {
  private shownAt = 0;
  constructor(
    private readonly out: ProgressOutput,
    private readonly write: (text: string) => void = (text) => process.stderr.write(text),
    private readonly clock: () => number = Date.now,
  ) {}

  /** Reports `done` of `total`, at most every 200 ms, once the work has run for two seconds. */
  tracker(label: string, total: number): { tick(done: number): void; end(): void } {
    const started = this.clock();
    let drawn = false;
    return {
      tick: (done: number) => {
        const now = this.clock();
        if (!this.out.isTTY || now - started < SHOW_AFTER_MS || now - this.shownAt < 200) return;
        this.shownAt = now;
        drawn = true;
        const filled = total ? Math.round((done / total) * WIDTH) : WIDTH;
        this.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${done}/${total}`);
      },
      end: () => {
        if (drawn) this.write('\n');
      },
    };
  }
}
