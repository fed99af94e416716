// The current campaign for the request being served: loaded once per page request by campaignContext()
// and read synchronously by page parts (the layout's brand) through hono's context storage.
import type { Context, MiddlewareHandler } from 'hono';
import { tryGetContext } from 'hono/context-storage';
import type { Db } from '../db/index.ts';
import { templateSettings, type CampaignSettings, type CurrentCampaign } from './settings.ts';
import { currentCampaign, lastKnownCampaign } from './store.ts';
import { formsOf } from '../forms/store.ts';
import { isDatabaseUnavailable } from '../lib/errors.ts';
import { readAlongsideAuth } from '../core/request-memo.ts';

export type CampaignEnv = { Variables: { campaign: CurrentCampaign } };

/** API routes read the campaign when they need it; pages always show its brand, so they load it up front. */
const needsCampaign = (path: string) => !path.startsWith('/api/') && path !== '/healthz' && !path.startsWith('/qr/');

export function campaignContext(db: Db): MiddlewareHandler<CampaignEnv> {
  return async function campaignContextMiddleware(c, next) {
    if (needsCampaign(c.req.path) && c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      // A form post re-renders only on a mistake or an outage: the brand read by the page it came from will
      // do, and the write keeps its statements to itself (an outage fails it as a whole, never halfway).
      c.set('campaign', lastKnownCampaign(db));
    } else if (needsCampaign(c.req.path)) {
      try {
        // The form definitions' check starts with it: most pages need both, and the two travel as one batch.
        void formsOf(db).catch(() => {});
        c.set('campaign', await currentCampaign(db));
      } catch (err) {
        // The page itself reports the outage (a form keeps what was typed); its heading needs no fresh read.
        if (!isDatabaseUnavailable(err)) throw err;
        c.set('campaign', lastKnownCampaign(db));
      }
    }
    await next();
  };
}

/**
 * API reads (GET with a Bearer code) mostly need the campaign: its check is started by the code's check and travels
 * in the same round trip (the handler's currentCampaign() then finds it memoised for the request).
 */
export function campaignWithApiAuth(db: Db): MiddlewareHandler {
  return readAlongsideAuth('api-campaign', async (c) =>
    c.req.method === 'GET' && c.req.path.startsWith('/api/v1/') && c.req.header('authorization') ? () => currentCampaign(db) : null,
  );
}

const TEMPLATE_BRAND = templateSettings().brand;

/** The campaign of the request in progress, when a page is being rendered inside one. */
export function requestCampaign(): CurrentCampaign | undefined {
  return tryGetContext<CampaignEnv>()?.var.campaign;
}

/** The short name in page titles and headings: the current campaign's, or the template's outside a request. */
export function brand(): string {
  return requestCampaign()?.settings.brand ?? TEMPLATE_BRAND;
}

/** The current campaign's settings while a page renders (the template's outside a request, e.g. in unit tests of a page part). */
export function pageCampaign(): CampaignSettings {
  return requestCampaign()?.settings ?? (templateCache ??= templateSettings());
}
let templateCache: CampaignSettings | undefined;

/** In a route handler: the campaign the middleware loaded for this page, or a fresh (cached) read for an API route. */
export async function campaignFor(c: Context, db: Db): Promise<CurrentCampaign> {
  return (c.var as { campaign?: CurrentCampaign }).campaign ?? currentCampaign(db);
}
