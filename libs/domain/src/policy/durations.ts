import { parseDuration, type Duration } from '../calendar';

/** Packs repeat a handful of durations; parse each text once (the engine is on a hot path). */
export class DurationCache {
  private readonly parsed = new Map<string, Duration>();
  parse(text: string): Duration {
    let d = this.parsed.get(text);
    if (!d) {
      d = parseDuration(text);
      this.parsed.set(text, d);
    }
    return d;
  }
}
