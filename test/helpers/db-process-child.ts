// The child side of db-process.ts: the local libSQL server and its counting proxy in a process of their own.
import { startLibsqlServer } from '../../tools/libsql-server/server.ts';
import { startCountingProxy } from './counting-proxy.ts';

type Request = { id: number; op: 'reset' | 'trips' | 'delay' | 'close'; ms?: number };

const path = process.argv[2];
if (!path || !process.send) throw new Error('usage: forked by db-process.ts with the database file as argument');
const server = await startLibsqlServer({ path, port: 0 });
const proxy = await startCountingProxy(server.url);

process.on('message', async (message: Request) => {
  const reply = (value: unknown) => process.send!({ id: message.id, value });
  switch (message.op) {
    case 'reset':
      proxy.reset();
      return reply(0);
    case 'trips':
      return reply(proxy.trips);
    case 'delay':
      proxy.delayMs = message.ms ?? 0;
      return reply(proxy.delayMs);
    case 'close':
      await proxy.close();
      await server.close();
      reply(0);
      return process.disconnect();
  }
});
process.send({ id: 0, value: proxy.url });
