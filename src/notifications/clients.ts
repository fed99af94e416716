// The providers' real request shapes: 企业微信 group robot, 钉钉 custom robot with 加签, a generic signed
// webhook, and 阿里云短信 SendSms (RPC signature). Each answers sent, retry (outage, 5xx, rate limit) or failed.
import type { Config } from '../core/config.ts';
import { toHex } from '../lib/crypto.ts';

export type SendOutcome = { ok: true } | { ok: false; retry: boolean; error: string };

export interface Message {
  /** One line, the markdown title. */
  title: string;
  /** Markdown body. No personal data. */
  text: string;
}

const enc = new TextEncoder();

async function hmac(hash: 'SHA-1' | 'SHA-256', key: string, text: string): Promise<Uint8Array> {
  const k = await crypto.subtle.importKey('raw', enc.encode(key), { name: 'HMAC', hash }, false, ['sign']);
  return new Uint8Array(await crypto.subtle.sign('HMAC', k, enc.encode(text)));
}

function base64(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

/** 钉钉 加签: Base64(HMAC-SHA256(secret, timestamp + "\n" + secret)), URL-encoded by the caller. */
export async function dingtalkSign(timestamp: number, secret: string): Promise<string> {
  return base64(await hmac('SHA-256', secret, `${timestamp}\n${secret}`));
}

/** The generic webhook's X-Pingan-Signature: `sha256=` + hex HMAC-SHA256 of the raw body. */
export async function webhookSignature(secret: string, body: string): Promise<string> {
  return `sha256=${toHex(await hmac('SHA-256', secret, body))}`;
}

/** Aliyun's POP percent-encoding (RFC 3986: space %20, * %2A, ~ kept). */
export function popEncode(s: string): string {
  return encodeURIComponent(s).replace(/\+/g, '%20').replace(/\*/g, '%2A').replace(/%7E/g, '~').replace(/[!'()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Aliyun RPC signature v1: Base64(HMAC-SHA1(secret + "&", METHOD & %2F & encode(sorted canonical query))). */
export async function aliyunSignature(method: string, params: Record<string, string>, secret: string): Promise<string> {
  const canonical = Object.keys(params)
    .sort()
    .map((k) => `${popEncode(k)}=${popEncode(params[k]!)}`)
    .join('&');
  return base64(await hmac('SHA-1', `${secret}&`, `${method}&${popEncode('/')}&${popEncode(canonical)}`));
}

function root(u: string): string {
  return u.endsWith('/') ? u : `${u}/`;
}

/** A robot address as saved (the provider's own URL) moved onto the configured API root, query kept. */
export function robotUrl(saved: string, apiRoot: string): URL {
  const from = new URL(saved);
  const to = new URL(from.pathname.replace(/^\//, '') + from.search, root(apiRoot));
  return to;
}

/** 企业微信 45009 and 钉钉 130101 are "too many messages": wait and retry, like a 5xx. */
const ROBOT_RATE_LIMITED = new Set([45009, 130101, 130102]);

async function robotOutcome(res: Response): Promise<SendOutcome> {
  if (res.status === 429 || res.status >= 500) return { ok: false, retry: true, error: `HTTP ${res.status}` };
  if (!res.ok) return { ok: false, retry: false, error: `HTTP ${res.status}` };
  const body = (await res.json().catch(() => null)) as { errcode?: number; errmsg?: string } | null;
  if (body?.errcode === 0) return { ok: true };
  const code = body?.errcode ?? -1;
  return { ok: false, retry: ROBOT_RATE_LIMITED.has(code), error: `errcode ${code}: ${String(body?.errmsg ?? '').slice(0, 200)}` };
}

async function send(fetcher: typeof fetch, url: string | URL, init: RequestInit, read: (res: Response) => Promise<SendOutcome>): Promise<SendOutcome> {
  let res: Response;
  try {
    res = await fetcher(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(10_000) });
  } catch (err) {
    return { ok: false, retry: true, error: `network: ${String((err as Error)?.message ?? err).slice(0, 200)}` };
  }
  return read(res);
}

export function sendWecom(fetcher: typeof fetch, config: Config, saved: string, m: Message): Promise<SendOutcome> {
  const body = JSON.stringify({ msgtype: 'markdown', markdown: { content: `**${m.title}**\n${m.text}` } });
  return send(fetcher, robotUrl(saved, config.WECOM_API_ROOT), { method: 'POST', headers: { 'content-type': 'application/json' }, body }, robotOutcome);
}

export async function sendDingtalk(fetcher: typeof fetch, config: Config, saved: string, secret: string | null, m: Message, now: number): Promise<SendOutcome> {
  const url = robotUrl(saved, config.DINGTALK_API_ROOT);
  if (secret) {
    url.searchParams.set('timestamp', String(now));
    url.searchParams.set('sign', await dingtalkSign(now, secret));
  }
  const body = JSON.stringify({ msgtype: 'markdown', markdown: { title: m.title, text: `### ${m.title}\n${m.text}` } });
  return send(fetcher, url, { method: 'POST', headers: { 'content-type': 'application/json' }, body }, robotOutcome);
}

export async function sendWebhook(fetcher: typeof fetch, url: string, secret: string | null, payload: unknown): Promise<SendOutcome> {
  const body = JSON.stringify(payload);
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'pingan-notify' };
  if (secret) headers['x-pingan-signature'] = await webhookSignature(secret, body);
  return send(fetcher, url, { method: 'POST', headers, body }, async (res) => {
    if (res.ok) return { ok: true };
    return { ok: false, retry: res.status === 429 || res.status >= 500 || res.status === 408, error: `HTTP ${res.status}` };
  });
}

/** Aliyun's flow-control answers: too many for now, try later. */
const SMS_RATE_LIMITED = /^isv\.(BUSINESS_LIMIT_CONTROL|DAY_LIMIT_CONTROL)|^Throttling/;

export async function sendAliyunSms(
  fetcher: typeof fetch,
  config: Config,
  phones: readonly string[],
  templateCode: string,
  templateParam: Record<string, string>,
  now: Date,
): Promise<SendOutcome> {
  if (!config.SMS_ACCESS_KEY_ID || !config.SMS_ACCESS_KEY_SECRET || !config.SMS_SIGN_NAME || !templateCode) {
    return { ok: false, retry: true, error: '未配置短信服务（SMS_ACCESS_KEY_ID 等）' };
  }
  const params: Record<string, string> = {
    AccessKeyId: config.SMS_ACCESS_KEY_ID,
    Action: 'SendSms',
    Format: 'JSON',
    PhoneNumbers: phones.join(','),
    RegionId: 'cn-hangzhou',
    SignName: config.SMS_SIGN_NAME,
    SignatureMethod: 'HMAC-SHA1',
    SignatureNonce: crypto.randomUUID(),
    SignatureVersion: '1.0',
    TemplateCode: templateCode,
    TemplateParam: JSON.stringify(templateParam),
    Timestamp: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    Version: '2017-05-25',
  };
  const signature = await aliyunSignature('POST', params, config.SMS_ACCESS_KEY_SECRET);
  const form = Object.entries({ Signature: signature, ...params })
    .map(([k, v]) => `${popEncode(k)}=${popEncode(v)}`)
    .join('&');
  return send(fetcher, root(config.SMS_API_ROOT), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form }, async (res) => {
    if (res.status === 429 || res.status >= 500) return { ok: false, retry: true, error: `HTTP ${res.status}` };
    const body = (await res.json().catch(() => null)) as { Code?: string; Message?: string } | null;
    if (res.ok && body?.Code === 'OK') return { ok: true };
    const code = body?.Code ?? `HTTP ${res.status}`;
    return { ok: false, retry: SMS_RATE_LIMITED.test(code), error: `${code}: ${String(body?.Message ?? '').slice(0, 200)}` };
  });
}
