// Cloudflare Workers entry: libSQL over HTTP; deps are built once per isolate from env.
import { createApp, type App } from '../../app.tsx';
import { ConfigError, parseConfig } from '../../core/config.ts';
import { openWebDb } from './db.ts';
import { consoleLogger, type Deps } from '../../deps.ts';
import { runScheduled } from '../../core/scheduled.ts';
import { memoryPhotoStore } from '../../submissions/photos.ts';
import { memoryRateLimiter } from '../../submissions/abuse/rate-limit.ts';
import { PLUGINS } from '../../plugins.ts';
import { r2PhotoStore } from './photos.ts';
import { workersRateLimiter } from './rate-limiter.ts';
import { workersClientAddress } from './client-address.ts';
import { sheetsGatewayFromConfig } from '../../sheets/client.ts';

export interface Env {
  LIBSQL_URL: string;
  LIBSQL_AUTH_TOKEN?: string;
  PUBLIC_BASE_URL: string;
  SESSION_SECRET: string;
  GOOGLE_SERVICE_ACCOUNT?: string;
  SHEET_ID?: string;
  GOOGLE_API_ROOT?: string;
  GOOGLE_TOKEN_URL?: string;
  TURNSTILE_SITE_KEY?: string;
  TURNSTILE_SECRET?: string;
  SUBMIT_RATE_LIMIT?: string;
  WECOM_API_ROOT?: string;
  DINGTALK_API_ROOT?: string;
  SMS_API_ROOT?: string;
  NOTIFY_ALLOWED_HOSTS?: string;
  SMS_ACCESS_KEY_ID?: string;
  SMS_ACCESS_KEY_SECRET?: string;
  SMS_SIGN_NAME?: string;
  SMS_TEMPLATE_CODE?: string;
  SMS_TIPSTER_TEMPLATE_CODE?: string;
  SUBMIT_LIMITER?: RateLimit;
  PHOTOS?: R2Bucket;
}

let built: { deps: Deps; app: App } | undefined;

export function buildWorkerDeps(env: Env): Deps {
  const config = parseConfig(env as unknown as Record<string, unknown>);
  return {
    db: openWebDb(config.LIBSQL_URL, config.LIBSQL_AUTH_TOKEN),
    config,
    now: () => new Date(),
    log: consoleLogger,
    sheets: sheetsGatewayFromConfig(config),
    // Unbound, photos and limits live in the isolate: enough for wrangler dev, not for production.
    photos: env.PHOTOS ? r2PhotoStore(env.PHOTOS) : memoryPhotoStore(),
    rateLimiter: env.SUBMIT_LIMITER ? workersRateLimiter(env.SUBMIT_LIMITER) : memoryRateLimiter({ limit: config.SUBMIT_RATE_LIMIT }),
    clientAddress: workersClientAddress,
    plugins: PLUGINS,
    fetch: (input, init) => fetch(input, init),
    // A Worker's fetch cannot reach private networks; there is no resolver to ask here.
    resolveHost: null,
  };
}

function get(env: Env) {
  if (!built) {
    const deps = buildWorkerDeps(env);
    built = { deps, app: createApp(deps) };
  }
  return built;
}

export default {
  fetch(request, env, ctx) {
    try {
      return get(env).app.fetch(request, env, ctx);
    } catch (err) {
      if (err instanceof ConfigError) {
        console.error(err.message);
        return new Response(JSON.stringify({ error: 'MISCONFIGURED', message: err.message }), {
          status: 500,
          headers: { 'content-type': 'application/json' },
        });
      }
      throw err;
    }
  },
  async scheduled(controller, env, ctx) {
    const { deps } = get(env);
    ctx.waitUntil(runScheduled(deps, controller.cron, new Date(controller.scheduledTime)));
  },
} satisfies ExportedHandler<Env>;
