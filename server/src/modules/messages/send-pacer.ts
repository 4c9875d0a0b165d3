/**
 * Paces sends per connection with a token bucket (rate = the connection's sends per second,
 * burst = one second's worth). The dispatcher claims only as many messages as the bucket allows,
 * so a fast API caller fills the queue instead of being refused.
 */
export function createSendPacer(now: () => number = () => performance.now()) {
  const buckets = new Map<string, { tokens: number; rate: number; updatedAt: number }>();

  function refill(connectionId: string) {
    const bucket = buckets.get(connectionId);
    if (!bucket) return undefined;
    const at = now();
    bucket.tokens = Math.min(bucket.rate, bucket.tokens + ((at - bucket.updatedAt) / 1000) * bucket.rate);
    bucket.updatedAt = at;
    return bucket;
  }

  return {
    /** How many sends may start now, and if none, how long until one may. Unknown connections get one probe. */
    allowance(connectionId: string): { count: number; waitMs: number } {
      const bucket = refill(connectionId);
      if (!bucket) return { count: 1, waitMs: 0 };
      const count = Math.floor(bucket.tokens);
      return { count, waitMs: count > 0 ? 0 : Math.ceil(((1 - bucket.tokens) / bucket.rate) * 1000) };
    },
    take(connectionId: string, rate: number) {
      const bucket = refill(connectionId) ?? { tokens: rate, rate, updatedAt: now() };
      bucket.rate = rate;
      bucket.tokens -= 1;
      buckets.set(connectionId, bucket);
    },
  };
}
