// A local libSQL server speaking Hrana-over-HTTP v2 (JSON) for wrangler dev and the workerd tests; never bundled.
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, resolve } from 'node:path';
import { BUSY_TIMEOUT_MS, Engine, toHranaError, type Stream } from './hrana/engine.ts';
import { ProtoError, parsePipeline, type PipelineRequest, type PipelineResponse, type StreamResult } from './hrana/protocol.ts';

export interface LibsqlServerOptions {
  /** SQLite file, created if missing, or ':memory:' (the default). */
  path?: string;
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  /** A stream unused this long is closed and its open transaction rolled back. */
  streamIdleMs?: number;
}

export interface LibsqlServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 32 * 1024 * 1024;

interface Session {
  stream: Stream;
  timer: NodeJS.Timeout;
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
  // A writer waiting on the lock outlasts an abandoned transaction, which expires after streamIdleMs.
  const engine = new Engine(path, streamIdleMs + BUSY_TIMEOUT_MS);
  const sessions = new Map<string, Session>();
  let closing = false;

  function park(stream: Stream): string | null {
    if (stream.closed) return null;
    if (closing) {
      engine.closeStream(stream);
      return null;
    }
    const baton = randomBytes(24).toString('base64url');
    const timer = setTimeout(() => {
      sessions.delete(baton);
      engine.closeStream(stream);
    }, streamIdleMs);
    timer.unref();
    sessions.set(baton, { stream, timer });
    return baton;
  }

  async function pipeline(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const text = await readBody(req);
    let body: PipelineRequest;
    try {
      body = parsePipeline(JSON.parse(text));
    } catch (e) {
      if (e instanceof SyntaxError || e instanceof ProtoError) return send(res, 400, { message: e.message });
      throw e;
    }
    let stream: Stream;
    if (body.baton !== null) {
      const session = sessions.get(body.baton);
      if (session === undefined) {
        return send(res, 500, { message: 'The stream has expired due to inactivity, or the baton is invalid', code: 'STREAM_EXPIRED' });
      }
      sessions.delete(body.baton);
      clearTimeout(session.timer);
      stream = session.stream;
    } else {
      try {
        stream = engine.openStream();
      } catch (e) {
        return send(res, 500, toHranaError(e));
      }
    }
    const results: StreamResult[] = [];
    for (const request of body.requests) {
      if (stream.closed) {
        results.push({ type: 'error', error: { message: 'The stream is closed', code: 'STREAM_CLOSED' } });
        continue;
      }
      try {
        results.push({ type: 'ok', response: await engine.handle(stream, request) });
      } catch (e) {
        results.push({ type: 'error', error: toHranaError(e) });
      }
    }
    const answer: PipelineResponse = { baton: park(stream), base_url: null, results };
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
        clearTimeout(timer);
        engine.closeStream(stream);
      }
      sessions.clear();
      engine.close();
      await stopped;
    },
  };
}
