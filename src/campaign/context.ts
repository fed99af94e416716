// The current campaign for the request being served: loaded once per page request by campaignContext()
// and read synchronously by page parts (the layout's brand) through hono's context storage.
import type { MiddlewareHandler } from 'hono';
import { tryGetContext } from 'hono/context-storage';
import type { Db } from '../db/index.ts';
import { templateSettings, type CurrentCampaign } from './settings.ts';
import { currentCampaign } from './store.ts';

export type CampaignEnv = { Variables: { campaign: CurrentCampaign } };

/** API routes read the campaign when they need it; pages always show its brand, so they load it up front. */
const needsCampaign = (path: string) => !path.startsWith('/api/') && path !== '/healthz' && !path.startsWith('/qr/');

export function campaignContext(db: Db): MiddlewareHandler<CampaignEnv> {
  return async function campaignContextMiddleware(c, next) {
    if (needsCampaign(c.req.path)) c.set('campaign', await currentCampaign(db));
    await next();
  };
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
