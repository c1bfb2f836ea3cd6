/**
 * The clock the services hand to the core. Outside production an administrator may set it
 * (POST /v1/admin/clock) so overdue and age rules can be shown without waiting; time then runs on
 * from the set instant.
 */
export interface Clock {
  /** The current instant, ISO 8601 in UTC. */
  now(): string;
}

export class AdjustableClock implements Clock {
  private offsetMs = 0;
  constructor(private readonly system: () => number = Date.now) {}
  now(): string {
    return new Date(this.system() + this.offsetMs).toISOString();
  }
  set(instant: string): void {
    this.offsetMs = Date.parse(instant) - this.system();
  }
}
