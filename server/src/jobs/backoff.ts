const DEFAULT_CAP_MS = 30 * 60_000;

/**
 * Exponential backoff with jitter: base, 4x base, 16x base ... capped, each x0.75 to x1.25 so that
 * jobs failing together do not retry together.
 */
export function exponentialBackoff(baseMs: number, capMs = DEFAULT_CAP_MS) {
  return (attempt: number, random: () => number = Math.random): number => {
    const exponential = Math.min(baseMs * 4 ** (attempt - 1), capMs);
    return Math.round(exponential * (0.75 + random() * 0.5));
  };
}
