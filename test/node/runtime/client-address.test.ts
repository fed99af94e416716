// On the real Node server a client cannot pick its own rate-limit key by sending X-Forwarded-For,
// unless TRUST_PROXY says a proxy in front sets it (then the proxy's entry counts, not the client's).
import { afterEach, describe, expect, it } from 'vitest';
import { Hono } from 'hono';
import type { ClientAddress } from '../../../src/core/client-address.ts';
import { nodeClientAddress } from '../../../src/runtime/node/client-address.ts';
import { workersClientAddress } from '../../../src/runtime/workers/client-address.ts';
import { startNodeServer, type NodeServer } from '../../helpers/node-server.ts';

const BODY = JSON.stringify({ satisfaction: 'satisfied', aware: true, participated: true });

async function submit(server: NodeServer, forwardedFor: string): Promise<number> {
  const res = await fetch(`${server.url}/api/v1/forms/mass-feedback/submissions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
    body: BODY,
  });
  await res.arrayBuffer();
  return res.status;
}

let server: NodeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('the client address behind rate limits', () => {
  it('is the socket address on Node: rotating X-Forwarded-For does not escape the limit', async () => {
    server = await startNodeServer({ config: { SUBMIT_RATE_LIMIT: '2' } });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push(await submit(server, `198.51.100.${i}`));
    expect(statuses).toEqual([201, 201, 429, 429]);
  });

  it("with TRUST_PROXY is the address the proxy appended, whatever the client put before it", async () => {
    server = await startNodeServer({ config: { SUBMIT_RATE_LIMIT: '2', TRUST_PROXY: 'true' } });
    // The client forges a different first entry each time; the proxy appends the real one.
    const same = [];
    for (let i = 0; i < 3; i++) same.push(await submit(server, `10.9.9.${i}, 203.0.113.5`));
    expect(same).toEqual([201, 201, 429]);
    expect(await submit(server, '203.0.113.6')).toBe(201);
  });
});

describe('each runtime reads the address where it really is', () => {
  const cases: { name: string; port: ClientAddress; headers: Record<string, string>; socket?: string; expected: string }[] = [
    { name: 'node: the socket, whatever X-Forwarded-For says', port: nodeClientAddress(), headers: { 'x-forwarded-for': '198.51.100.1' }, socket: '10.0.0.7', expected: '10.0.0.7' },
    { name: 'node with TRUST_PROXY: the entry the proxy appended', port: nodeClientAddress({ trustProxy: true }), headers: { 'x-forwarded-for': '10.9.9.9, 203.0.113.5' }, socket: '10.0.0.7', expected: '203.0.113.5' },
    { name: 'node with TRUST_PROXY and no header: the socket', port: nodeClientAddress({ trustProxy: true }), headers: {}, socket: '10.0.0.7', expected: '10.0.0.7' },
    { name: 'workers: cf-connecting-ip', port: workersClientAddress, headers: { 'cf-connecting-ip': '192.0.2.9', 'x-forwarded-for': '198.51.100.1' }, expected: '192.0.2.9' },
    { name: 'workers without it: the first forwarded address', port: workersClientAddress, headers: { 'x-forwarded-for': '198.51.100.1, 10.0.0.1' }, expected: '198.51.100.1' },
    { name: 'workers with neither', port: workersClientAddress, headers: {}, expected: 'unknown' },
  ];
  for (const { name, port, headers, socket, expected } of cases) {
    it(name, async () => {
      const app = new Hono().get('/', (c) => c.text(port(c)));
      // @hono/node-server hands the Node request to the app as env.incoming.
      const env = socket ? { incoming: { socket: { remoteAddress: socket } } } : undefined;
      expect(await (await app.request('/', { headers }, env)).text()).toBe(expected);
    });
  }
});
