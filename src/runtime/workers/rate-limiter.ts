// The Workers Rate Limiting binding (SUBMIT_LIMITER) as a RateLimiter.
import type { RateLimiter } from '../../submissions/abuse/rate-limit.ts';

/** The shape of a Workers Rate Limiting binding (a 60-second period is configured in wrangler.toml). */
export interface RateLimitBinding {
  limit(options: { key: string }): Promise<{ success: boolean }>;
}

export function workersRateLimiter(binding: RateLimitBinding, periodSeconds = 60): RateLimiter {
  return {
    async limit(key) {
      const { success } = await binding.limit({ key });
      return { success, retryAfter: success ? 0 : periodSeconds };
    },
  };
}
