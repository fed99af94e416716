// What createApp and the scheduled jobs are built from; each entry file fills it for its runtime.
import type { Config } from './core/config.ts';
import type { Db } from './db/index.ts';
import type { SheetsGateway } from './sheets/gateway.ts';
import type { PhotoStore } from './submissions/photos.ts';
import type { RateLimiter } from './submissions/abuse/rate-limit.ts';
import type { ClientAddress } from './core/client-address.ts';
import type { Plugins } from './plugins.ts';

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface Deps {
  db: Db;
  config: Config;
  /** The clock; tests pass a fixed one. */
  now: () => Date;
  log: Logger;
  /** The Google Sheet mirror; null when GOOGLE_SERVICE_ACCOUNT / SHEET_ID are not set (jobs then wait in the outbox). */
  sheets: SheetsGateway | null;
  /** Hazard-tip photos: R2 on Workers (memory when unbound), a folder on Node. */
  photos: PhotoStore;
  /** Public submission limiter: the Workers binding when bound, else a bounded in-memory one. */
  rateLimiter: RateLimiter;
  /** The address rate limits and the sign-in throttle are keyed by; each runtime knows where to find it. */
  clientAddress: ClientAddress;
  /** The features plugged into the core (src/plugins.ts). */
  plugins: Plugins;
  /** Outbound HTTP for notifications (robots, webhooks, SMS); tests pass fake providers. Default: global fetch. */
  fetch?: typeof fetch;
  /** A host's addresses, so a channel cannot point into the server's network; Node only (null: not checked here). */
  resolveHost?: ((host: string) => Promise<string[]>) | null;
}

/** One JSON line per event; callers never pass personal data in fields. */
export const consoleLogger: Logger = {
  info: (message, fields) => console.log(JSON.stringify({ level: 'info', message, ...fields })),
  warn: (message, fields) => console.warn(JSON.stringify({ level: 'warn', message, ...fields })),
  error: (message, fields) => console.error(JSON.stringify({ level: 'error', message, ...fields })),
};

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
