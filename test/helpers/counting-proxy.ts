// A proxy in front of the local libSQL server that counts each HTTP request (one network round trip to Turso) and
// may add a delay to each.
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CountingProxy {
  url: string;
  /** Requests forwarded since the last reset. */
  readonly trips: number;
  /** The Hrana request types of each forwarded pipeline, for a failing test's message. */
  readonly log: string[][];
  reset(): void;
  /** Milliseconds added before each request is forwarded. */
  delayMs: number;
  close(): Promise<void>;
}

export async function startCountingProxy(target: string): Promise<CountingProxy> {
  const to = new URL(target);
  let trips = 0;
  let log: string[][] = [];
  const proxy: CountingProxy = {
    url: '',
    get trips() {
      return trips;
    },
    get log() {
      return log;
    },
    reset() {
      trips = 0;
      log = [];
    },
    delayMs: 0,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      trips++;
      try {
        const parsed = JSON.parse(body.toString('utf8') || '{}') as { requests?: { type: string; stmt?: { sql?: string }; batch?: { steps: unknown[] } }[] };
        log.push((parsed.requests ?? []).map((r) => (r.type === 'execute' ? `execute ${String(r.stmt?.sql ?? '').slice(0, 60)}` : r.type === 'batch' ? `batch(${r.batch?.steps.length})` : r.type === 'store_sql' ? 'store ' + String((r as { sql?: string }).sql ?? '').slice(0, 90) : r.type)));
      } catch {
        log.push([`${req.method} ${req.url}`]);
      }
      const forward = () => {
        const out = httpRequest(
          { host: to.hostname, port: to.port, path: req.url, method: req.method, headers: { ...req.headers, host: to.host } },
          (upstream) => {
            res.writeHead(upstream.statusCode ?? 502, upstream.headers);
            upstream.pipe(res);
          },
        );
        out.on('error', () => {
          res.writeHead(502);
          res.end();
        });
        out.end(body);
      };
      if (proxy.delayMs > 0) setTimeout(forward, proxy.delayMs);
      else forward();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}
