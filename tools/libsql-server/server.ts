// A local libSQL server speaking Hrana-over-HTTP v2 (JSON) as sqld does, for wrangler dev and the tests; never bundled.
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, resolve } from 'node:path';
import { Engine, toHranaError, type Stream } from './hrana/engine.ts';
import { ProtoError, parsePipeline, type PipelineRequest, type PipelineResponse, type StreamResult } from './hrana/protocol.ts';

export interface LibsqlServerOptions {
  /** SQLite file, created if missing, or ':memory:' (the default: a temporary file, removed on close). */
  path?: string;
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  /** A stream unused this long is closed and its open transaction rolled back (sqld: 10 s). */
  streamIdleMs?: number;
  /** How long a transaction may hold the write lock before it is rolled back (sqld's TXN_TIMEOUT: 5 s). */
  txnTimeoutMs?: number;
  /** The clock the transaction timeout is measured on; tests pass a fake one. */
  now?: () => number;
}

export interface LibsqlServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 32 * 1024 * 1024;
/** sqld answers an expired stream's baton with STREAM_EXPIRED for 5 minutes, then as an unknown baton. */
const EXPIRED_KEPT_MS = 300_000;

interface Session {
  stream: Stream;
  /** The part of the baton that changes on every response, so an old baton cannot be reused. */
  seq: string;
  /** null while a request is using the stream. */
  timer: NodeJS.Timeout | null;
}

class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const data = body === undefined ? '' : JSON.stringify(body);
  // The client parses error bodies only when the content type is exactly application/json.
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) });
  res.end(data);
}

/** sqld answers protocol errors (bad JSON, a bad or reused baton, a missing sql_id) with 400 and a plain-text message. */
function sendText(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(message) });
  res.end(message);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new HttpError(413, 'Request body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolvePromise(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startLibsqlServer(options: LibsqlServerOptions = {}): Promise<LibsqlServer> {
  const path = options.path ?? ':memory:';
  const host = options.host ?? '127.0.0.1';
  const streamIdleMs = options.streamIdleMs ?? 10_000;
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  const engine = new Engine({ path, txnTimeoutMs: options.txnTimeoutMs ?? 5_000, now: options.now ?? Date.now });
  const sessions = new Map<string, Session>();
  const expired = new Map<string, number>();
  let closing = false;

  function expire(id: string): void {
    const session = sessions.get(id);
    if (session === undefined) return;
    sessions.delete(id);
    engine.closeStream(session.stream);
    const now = Date.now();
    for (const [old, at] of expired) if (now - at > EXPIRED_KEPT_MS) expired.delete(old);
    expired.set(id, now);
  }

  /** Hands the stream back with a fresh baton, or forgets it once closed. */
  function park(id: string, session: Session): string | null {
    if (session.stream.closed || closing) {
      sessions.delete(id);
      engine.closeStream(session.stream);
      return null;
    }
    session.seq = randomBytes(12).toString('base64url');
    session.timer = setTimeout(() => expire(id), streamIdleMs);
    session.timer.unref();
    return `${id}.${session.seq}`;
  }

  /** The stream a baton names, or why not: an unknown or reused baton is a protocol error (400), an expired one is not. */
  function take(baton: string): { id: string; session: Session } | { status: 400 | 500; message: string } {
    const [id = '', seq] = baton.split('.');
    if (expired.has(id)) return { status: 500, message: 'The stream has expired due to inactivity' };
    const session = sessions.get(id);
    if (session === undefined) return { status: 400, message: 'Invalid baton' };
    if (session.timer === null || session.seq !== seq) return { status: 400, message: 'Baton has been reused' };
    clearTimeout(session.timer);
    session.timer = null;
    return { id, session };
  }

  async function pipeline(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const text = await readBody(req);
    let body: PipelineRequest;
    try {
      body = parsePipeline(JSON.parse(text));
    } catch (e) {
      if (e instanceof SyntaxError || e instanceof ProtoError) return sendText(res, 400, e.message);
      throw e;
    }
    let id: string;
    let session: Session;
    if (body.baton !== null) {
      const taken = take(body.baton);
      if ('status' in taken) {
        if (taken.status === 400) return sendText(res, 400, taken.message);
        return send(res, 500, { message: taken.message, code: 'STREAM_EXPIRED' });
      }
      ({ id, session } = taken);
    } else {
      try {
        id = randomBytes(12).toString('base64url');
        session = { stream: engine.openStream(), seq: '', timer: null };
        sessions.set(id, session);
      } catch (e) {
        return send(res, 500, toHranaError(e));
      }
    }
    const results: StreamResult[] = [];
    for (const request of body.requests) {
      try {
        results.push({ type: 'ok', response: await engine.handle(session.stream, request) });
      } catch (e) {
        if (e instanceof ProtoError) {
          // As in sqld, a protocol error ends the stream: its transaction is rolled back and its baton forgotten.
          sessions.delete(id);
          engine.closeStream(session.stream);
          return sendText(res, 400, e.message);
        }
        results.push({ type: 'error', error: toHranaError(e) });
      }
    }
    const answer: PipelineResponse = { baton: park(id, session), base_url: null, results };
    send(res, 200, answer);
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { pathname } = new URL(req.url ?? '/', 'http://localhost');
    if (pathname === '/v2/pipeline') {
      if (req.method !== 'POST') return send(res, 405, { message: 'Use POST' });
      return pipeline(req, res);
    }
    if ((pathname === '/v2' || pathname === '/health') && (req.method === 'GET' || req.method === 'HEAD')) {
      return send(res, 200, {});
    }
    // Everything else, notably /v3 and /v3-protobuf, is absent so that a probing client falls back to v2.
    send(res, 404, { message: `No route for ${req.method ?? 'GET'} ${pathname}` });
  }

  const server = createServer((req, res) => {
    route(req, res).catch((e: unknown) => {
      if (res.headersSent) return res.destroy();
      if (e instanceof HttpError) return send(res, e.status, { message: e.message });
      send(res, 500, toHranaError(e));
    });
  });

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolveListen();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${urlHost}:${port}`,
    port,
    async close() {
      if (closing) return;
      closing = true;
      const stopped = new Promise<void>((resolveClose) => server.close(() => resolveClose()));
      server.closeAllConnections();
      for (const { stream, timer } of sessions.values()) {
        if (timer !== null) clearTimeout(timer);
        engine.closeStream(stream);
      }
      sessions.clear();
      engine.close();
      await stopped;
    },
  };
}
