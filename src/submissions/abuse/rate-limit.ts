// Per-client submission limits: the port, and a bounded in-memory window (the Workers binding is in src/runtime/workers/rate-limiter.ts).
// Generous by default (SUBMIT_RATE_LIMIT, 60 a minute per address and form): a whole village can sit behind one carrier NAT address.

export interface RateLimitResult {
  success: boolean;
  /** Seconds until the client may try again (for Retry-After). */
  retryAfter: number;
}

export interface RateLimiter {
  limit(key: string): Promise<RateLimitResult>;
}

export interface MemoryRateLimiterOptions {
  /** Requests allowed per window and key. */
  limit: number;
  windowMs?: number;
  /** Most keys remembered; past it the oldest windows are forgotten, so memory stays bounded under a flood of addresses. */
  maxKeys?: number;
  now?: () => number;
}

/** Fixed windows per key in a Map whose insertion order doubles as age order. */
export function memoryRateLimiter(options: MemoryRateLimiterOptions): RateLimiter & { size(): number } {
  const windowMs = options.windowMs ?? 60_000;
  const maxKeys = options.maxKeys ?? 10_000;
  const now = options.now ?? Date.now;
  const windows = new Map<string, { start: number; count: number }>();
  return {
    size: () => windows.size,
    async limit(key) {
      const t = now();
      let w = windows.get(key);
      if (!w || t - w.start >= windowMs) {
        if (w) windows.delete(key);
        w = { start: t, count: 0 };
        windows.set(key, w);
        while (windows.size > maxKeys) windows.delete(windows.keys().next().value!);
      }
      w.count++;
      if (w.count <= options.limit) return { success: true, retryAfter: 0 };
      return { success: false, retryAfter: Math.max(1, Math.ceil((w.start + windowMs - t) / 1000)) };
    },
  };
}
