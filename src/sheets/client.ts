// The real SheetsGateway: @googleapis/sheets v4 with a service-account JWT, identical on Workers (nodejs_compat) and Node.
import { auth as googleAuth, sheets_v4 } from '@googleapis/sheets';
import type { Config } from '../core/config.ts';
import { SheetsApiError, type SheetsGateway, type SheetProps, type ValueRange } from './gateway.ts';

/** The token URL google-auth-library signs for and posts to; fixed inside the library. */
export const GOOGLE_DEFAULT_TOKEN_URL = 'https://oauth2.googleapis.com/token';
const SCOPES = ['https://www.googleapis.com/auth/spreadsheets'];

export interface GoogleSheetsOptions {
  serviceAccountJson: string;
  spreadsheetId: string;
  apiRoot: string;
  tokenUrl: string;
  /** Defaults to the runtime's fetch; gaxios would otherwise import node-fetch outside a browser. */
  fetch?: typeof fetch;
  /** Per request, token included; default REQUEST_TIMEOUT_MS. */
  timeoutMs?: number;
}

/** A Google (or relay) that accepts and never answers must fail the flush, not hold it and every later run behind it. */
export const REQUEST_TIMEOUT_MS = 30_000;

type Jwt = InstanceType<typeof googleAuth.JWT>;
type Transporter = Jwt['transporter'];
type PreparedOptions = Parameters<NonNullable<NonNullable<Parameters<Transporter['interceptors']['request']['add']>[0]>['resolved']>>[0];

/**
 * The JWT's gaxios transporter carries the token request and every Sheets call. Its request
 * interceptor sends the library's hard-coded token URL to GOOGLE_TOKEN_URL (a relay, or the test
 * fake), and turns off gaxios' own retries so the flush alone decides when to retry and counts
 * every request.
 */
export function routeTransporter(transporter: Transporter, tokenUrl: string): void {
  transporter.interceptors.request.add({
    resolved: async (opts: PreparedOptions) => {
      if (String(opts.url) === GOOGLE_DEFAULT_TOKEN_URL && tokenUrl !== GOOGLE_DEFAULT_TOKEN_URL) opts.url = new URL(tokenUrl);
      opts.retry = false;
      delete opts.retryConfig;
      return opts;
    },
  });
}

/** Builds the gateway from config, or null when the sheet is not configured. */
export function sheetsGatewayFromConfig(config: Config, fetchImpl?: typeof fetch): SheetsGateway | null {
  if (!config.GOOGLE_SERVICE_ACCOUNT || !config.SHEET_ID) return null;
  return createGoogleSheetsGateway({
    serviceAccountJson: config.GOOGLE_SERVICE_ACCOUNT,
    spreadsheetId: config.SHEET_ID,
    apiRoot: config.GOOGLE_API_ROOT,
    tokenUrl: config.GOOGLE_TOKEN_URL,
    fetch: fetchImpl,
  });
}

export function createGoogleSheetsGateway(opts: GoogleSheetsOptions): SheetsGateway {
  const key = JSON.parse(opts.serviceAccountJson) as { client_email: string; private_key: string; private_key_id?: string };
  const fetchImpl = opts.fetch ?? ((...a: Parameters<typeof fetch>) => fetch(...a));
  // google-auth-library's JWT as @googleapis/sheets ships it (googleapis-common pins its own copy):
  // importing the top-level package too would bundle the library twice into the Worker.
  const auth = new googleAuth.JWT({
    email: key.client_email,
    key: key.private_key,
    keyId: key.private_key_id,
    scopes: SCOPES,
    // Without it gaxios imports node-fetch whenever there is no `window`, Workers included.
    transporterOptions: { fetchImplementation: fetchImpl as never, timeout: opts.timeoutMs ?? REQUEST_TIMEOUT_MS },
  });
  routeTransporter(auth.transporter, opts.tokenUrl);
  const rootUrl = opts.apiRoot.endsWith('/') ? opts.apiRoot : `${opts.apiRoot}/`;
  const api = new sheets_v4.Sheets({ auth, rootUrl, retry: false });
  const spreadsheetId = opts.spreadsheetId;

  return {
    async get() {
      const res = await call(() =>
        api.spreadsheets.get({ spreadsheetId, includeGridData: false, fields: 'sheets.properties(sheetId,title,gridProperties)' }),
      );
      const sheets: SheetProps[] = (res.data.sheets ?? []).map((s) => ({
        sheetId: s.properties?.sheetId ?? 0,
        title: s.properties?.title ?? '',
        rowCount: s.properties?.gridProperties?.rowCount ?? 0,
        columnCount: s.properties?.gridProperties?.columnCount ?? 0,
      }));
      return { sheets };
    },
    async batchUpdate(requests) {
      await call(() => api.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests: requests as sheets_v4.Schema$Request[] } }));
    },
    async valuesBatchUpdate(data: ValueRange[]) {
      await call(() =>
        api.spreadsheets.values.batchUpdate({
          spreadsheetId,
          requestBody: { valueInputOption: 'RAW', data: data.map((d) => ({ range: d.range, majorDimension: 'ROWS', values: d.values })) },
        }),
      );
    },
    async valuesBatchClear(ranges) {
      await call(() => api.spreadsheets.values.batchClear({ spreadsheetId, requestBody: { ranges } }));
    },
  };
}

/** Maps any failure (HTTP answer, token refusal, network) to a SheetsApiError without request bodies in the message. */
async function call<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw toSheetsError(err);
  }
}

export function toSheetsError(err: unknown): SheetsApiError {
  if (err instanceof SheetsApiError) return err;
  const e = err as { status?: number; code?: unknown; message?: string; response?: { status?: number; headers?: Headers | Record<string, string>; data?: unknown } };
  const status = e.response?.status ?? (typeof e.status === 'number' ? e.status : 0);
  const headers = e.response?.headers;
  const rawRetry = headers instanceof Headers ? headers.get('retry-after') : (headers as Record<string, string> | undefined)?.['retry-after'];
  const data = e.response?.data as { error?: { message?: string; status?: string } | string; error_description?: string } | undefined;
  let message: string;
  if (data && typeof data.error === 'object' && data.error?.message) message = `${data.error.status ?? status}: ${data.error.message}`;
  else if (data && typeof data.error === 'string') message = `${data.error}${data.error_description ? `: ${data.error_description}` : ''}`;
  else message = e.message ?? String(err);
  return new SheetsApiError(status, `Google Sheets ${status || 'unreachable'}: ${message}`.slice(0, 500), parseRetryAfter(rawRetry ?? undefined));
}

/** Retry-After is seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, (at - now) / 1000);
}
