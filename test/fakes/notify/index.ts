// Fake 企业微信 and 钉钉 robots, a 12345-style webhook consumer and 阿里云短信 SendSms, in one request handler
// routed by path. Each checks the real request shape and signature the way the provider does (with node:crypto,
// not the client's code) and answers as the provider would; `down` makes one provider fail like an outage.
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RobotMessage {
  key: string;
  /** WeCom markdown.content, or DingTalk "title\ntext". */
  text: string;
}

export interface SmsMessage {
  phones: string[];
  template: string;
  params: Record<string, string>;
}

export interface FakeProviders {
  handle(req: Request): Promise<Response>;
  /** A fetch that answers from the fakes: pass it as deps.fetch. */
  fetch: typeof fetch;
  wecom: RobotMessage[];
  dingtalk: RobotMessage[];
  webhook: { path: string; body: unknown }[];
  sms: SmsMessage[];
  /** Every request, verified or not, to see what was refused. */
  refused: { provider: string; why: string }[];
  /** Make a provider fail: 'http' a 503, 'ratelimit' the provider's too-many code, 'network' a thrown error. */
  down: Partial<Record<'wecom' | 'dingtalk' | 'webhook' | 'sms', 'http' | 'ratelimit' | 'network'>>;
  /** The fake's clock for DingTalk's timestamp window. */
  now: () => number;
}

export const DINGTALK_SECRETS: Record<string, string> = { 'ding-token-1': 'SECfake0123456789abcdef' };
export const WEBHOOK_SECRET = 'hook-secret-xyz';
export const SMS_KEY = { id: 'LTAIfakeKeyId', secret: 'fakeAccessKeySecret' };

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

function popEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function createFakeProviders(opts: { now?: () => number } = {}): FakeProviders {
  const fake: FakeProviders = {
    wecom: [],
    dingtalk: [],
    webhook: [],
    sms: [],
    refused: [],
    down: {},
    now: opts.now ?? (() => Date.now()),
    fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
      const req = new Request(input, init);
      if (fake.down[provider(new URL(req.url))] === 'network') throw new TypeError('fetch failed: connect ECONNREFUSED');
      return fake.handle(req);
    }) as typeof fetch,
    async handle(req) {
      const url = new URL(req.url);
      const which = provider(url);
      const outage = fake.down[which];
      if (outage === 'http') return new Response('upstream down', { status: 503 });
      const refuse = (why: string, body: unknown, status = 200) => {
        fake.refused.push({ provider: which, why });
        return json(body, status);
      };
      if (req.method !== 'POST') return refuse('method', { errcode: 40001, errmsg: 'POST only' }, 405);
      switch (which) {
        case 'wecom': {
          const key = url.searchParams.get('key');
          if (!key) return refuse('no key', { errcode: 93000, errmsg: 'invalid webhook url' });
          if (!(req.headers.get('content-type') ?? '').startsWith('application/json')) return refuse('content-type', { errcode: 40035, errmsg: 'invalid content-type' });
          const body = (await req.json()) as { msgtype?: string; markdown?: { content?: unknown } };
          if (body.msgtype !== 'markdown' || typeof body.markdown?.content !== 'string') return refuse('shape', { errcode: 40008, errmsg: 'invalid message type' });
          if (new TextEncoder().encode(body.markdown.content).length > 4096) return refuse('too long', { errcode: 40058, errmsg: 'content exceed max length' });
          if (outage === 'ratelimit') return json({ errcode: 45009, errmsg: 'api freq out of limit' });
          fake.wecom.push({ key, text: body.markdown.content });
          return json({ errcode: 0, errmsg: 'ok' });
        }
        case 'dingtalk': {
          const token = url.searchParams.get('access_token') ?? '';
          const secret = DINGTALK_SECRETS[token];
          if (!secret) return refuse('token', { errcode: 300001, errmsg: 'token is not exist' });
          const timestamp = Number(url.searchParams.get('timestamp'));
          const sign = url.searchParams.get('sign') ?? '';
          if (!Number.isFinite(timestamp) || Math.abs(fake.now() - timestamp) > 3600_000) return refuse('timestamp', { errcode: 310000, errmsg: 'invalid timestamp' });
          const expected = createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64');
          if (sign !== expected) return refuse('sign', { errcode: 310000, errmsg: 'sign not match' });
          // The sign must arrive URL-encoded: a raw "+" would have turned into a space.
          const body = (await req.json()) as { msgtype?: string; markdown?: { title?: unknown; text?: unknown } };
          if (body.msgtype !== 'markdown' || typeof body.markdown?.title !== 'string' || typeof body.markdown?.text !== 'string') return refuse('shape', { errcode: 40035, errmsg: 'bad msgtype' });
          if (outage === 'ratelimit') return json({ errcode: 130101, errmsg: 'send too fast' });
          fake.dingtalk.push({ key: token, text: `${body.markdown.title}\n${body.markdown.text}` });
          return json({ errcode: 0, errmsg: 'ok' });
        }
        case 'webhook': {
          const raw = await req.text();
          const expected = `sha256=${createHmac('sha256', WEBHOOK_SECRET).update(raw).digest('hex')}`;
          if (req.headers.get('x-pingan-signature') !== expected) return refuse('signature', { error: 'bad signature' }, 401);
          if (outage === 'ratelimit') return new Response('slow down', { status: 429 });
          fake.webhook.push({ path: url.pathname, body: JSON.parse(raw) });
          return json({ ok: true }, 202);
        }
        case 'sms': {
          if (!(req.headers.get('content-type') ?? '').startsWith('application/x-www-form-urlencoded')) return refuse('content-type', { Code: 'InvalidParameter' }, 400);
          const params = Object.fromEntries(new URLSearchParams(await req.text()));
          const { Signature, ...signed } = params;
          for (const k of ['AccessKeyId', 'Action', 'Format', 'PhoneNumbers', 'SignName', 'SignatureMethod', 'SignatureNonce', 'SignatureVersion', 'TemplateCode', 'Timestamp', 'Version']) {
            if (!signed[k]) return refuse(`missing ${k}`, { Code: 'MissingParameter', Message: k }, 400);
          }
          if (signed.Action !== 'SendSms' || signed.Version !== '2017-05-25' || signed.SignatureMethod !== 'HMAC-SHA1' || signed.SignatureVersion !== '1.0') {
            return refuse('action', { Code: 'InvalidParameter' }, 400);
          }
          if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(signed.Timestamp!)) return refuse('timestamp', { Code: 'InvalidTimeStamp.Format' }, 400);
          if (signed.AccessKeyId !== SMS_KEY.id) return refuse('key', { Code: 'InvalidAccessKeyId.NotFound' }, 404);
          const canonical = Object.keys(signed).sort().map((k) => `${popEncode(k)}=${popEncode(signed[k]!)}`).join('&');
          const toSign = `POST&${popEncode('/')}&${popEncode(canonical)}`;
          const expected = createHmac('sha1', `${SMS_KEY.secret}&`).update(toSign).digest('base64');
          if (Signature !== expected) return refuse('signature', { Code: 'SignatureDoesNotMatch', Message: 'Specified signature is not matched with our calculation.' }, 400);
          if (outage === 'ratelimit') return json({ Code: 'isv.BUSINESS_LIMIT_CONTROL', Message: '触发分钟级流控' });
          fake.sms.push({ phones: signed.PhoneNumbers!.split(','), template: signed.TemplateCode!, params: JSON.parse(signed.TemplateParam ?? '{}') as Record<string, string> });
          return json({ Code: 'OK', Message: 'OK', BizId: '900619746936498440^0', RequestId: 'F655A8D5-B967-440B-8683-DAD6FF8DE990' });
        }
      }
    },
  };
  return fake;
}

function provider(url: URL): 'wecom' | 'dingtalk' | 'webhook' | 'sms' {
  if (url.pathname === '/cgi-bin/webhook/send') return 'wecom';
  if (url.pathname === '/robot/send') return 'dingtalk';
  if (url.pathname.startsWith('/hook')) return 'webhook';
  return 'sms';
}

/** The same fakes on a port, for the Worker inside workerd; GET /_fake/notify returns what each received. */
export async function startFakeProviders(): Promise<{ root: string; close(): Promise<void> }> {
  const fake = createFakeProviders();
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = `http://127.0.0.1${req.url}`;
    if (req.method === 'GET' && req.url === '/_fake/notify') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ wecom: fake.wecom, dingtalk: fake.dingtalk, webhook: fake.webhook, sms: fake.sms, refused: fake.refused }));
      return;
    }
    const r = await fake.handle(new Request(url, { method: req.method, headers: req.headers as Record<string, string>, body: chunks.length ? Buffer.concat(chunks) : undefined }));
    res.writeHead(r.status, Object.fromEntries(r.headers)).end(Buffer.from(await r.arrayBuffer()));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return { root: `http://127.0.0.1:${port}/`, close: () => new Promise((ok) => server.close(() => ok())) };
}
