// Backoff shared by the resumable subscriber and the retry helper: 100 ms doubling up to
// 5 s, each delay jittered by +-20 % (and never above the cap), so that many clients cut
// off by one server restart do not all come back in the same millisecond.

/** The first delay, before jitter. */
export const BACKOFF_INITIAL_MS = 100;
/** No delay is ever longer than this. */
export const BACKOFF_MAX_MS = 5_000;
/** Each delay is the nominal one times a factor in [1 - JITTER, 1 + JITTER]. */
export const BACKOFF_JITTER = 0.2;

/**
 * The delay before retry number `attempt` (0 for the first retry after a success):
 * 100 ms * 2^attempt, capped at 5 s, with +-20 % jitter, never above 5 s.
 * `random` returns a number in [0, 1) (Math.random by default; tests pass their own).
 */
export function backoffDelayMs(attempt: number, random: () => number = Math.random): number {
  const exponent = Math.max(0, Math.min(Math.floor(attempt), 30));
  const nominal = Math.min(BACKOFF_MAX_MS, BACKOFF_INITIAL_MS * 2 ** exponent);
  const factor = 1 - BACKOFF_JITTER + 2 * BACKOFF_JITTER * random();
  return Math.round(Math.min(BACKOFF_MAX_MS, nominal * factor));
}

/**
 * Waits `ms` milliseconds. Resolves true when the time passed, false as soon as `signal`
 * aborts (at once when it already has).
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) {
    return Promise.resolve(false);
  }
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
