/**
 * The instant relative date ranges ("last 7 days", "this month") are resolved from. It records
 * whether anything read it: a compiled query that never did stays the same as time passes, so a
 * caller may keep it for good; one that did is only valid for that instant.
 */
export class Clock {
  private used = false;

  constructor(private readonly instant: Date) {}

  /** Bound, so it can be handed on as a function and called only when a range is relative. */
  readonly now = (): Date => {
    this.used = true;
    return this.instant;
  };

  /** Whether the compilation depended on the instant. */
  get read(): boolean {
    return this.used;
  }
}
