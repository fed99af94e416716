// The client address port, shaped like hono's getConnInfo: rate limits and the sign-in throttle are keyed by
// what it returns. Each runtime brings its own (src/runtime/node/client-address.ts, src/runtime/workers/client-address.ts).
import type { Context } from 'hono';

export type ClientAddress = (c: Context) => string;
