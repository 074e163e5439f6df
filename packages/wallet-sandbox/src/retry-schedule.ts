// When the sandbox retries a notification that was not acknowledged. The platform publishes no schedule;
// this one is ours (README, "Retry schedule").

/**
 * Milliseconds to wait before each attempt after the first: 5 s, 30 s, 2 min, 10 min, 30 min, 1 h.
 * With the immediate first attempt that is 7 attempts over about 1 h 43 min; then the sandbox stops
 * (the dashboard's "resend" starts a new round).
 */
export const DEFAULT_RETRY_SCHEDULE: readonly number[] = [5_000, 30_000, 120_000, 600_000, 1_800_000, 3_600_000];

/** The delay before attempt `attempt` (1-based), or `undefined` when the schedule is used up. */
export function delayBeforeAttempt(schedule: readonly number[], attempt: number): number | undefined {
  if (attempt <= 1) return 0;
  return schedule[attempt - 2];
}
