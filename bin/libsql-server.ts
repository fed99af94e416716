// Serves a local libSQL database over Hrana HTTP for wrangler dev: tsx bin/libsql-server.ts --db data/dev.db --port 8080
import { parseArgs } from 'node:util';
import { startLibsqlServer } from '../tools/libsql-server/server.ts';

const usage = 'usage: tsx bin/libsql-server.ts [--db data/dev.db | --db :memory:] [--port 8080] [--host 127.0.0.1] [--idle-ms 10000]';

function int(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`--${name} must be a non-negative integer\n${usage}`);
    process.exit(2);
  }
  return n;
}

function parse() {
  try {
    return parseArgs({
      options: {
        db: { type: 'string', default: 'data/dev.db' },
        port: { type: 'string', default: '8080' },
        host: { type: 'string', default: '127.0.0.1' },
        'idle-ms': { type: 'string', default: '10000' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }).values;
  } catch (e) {
    console.error(`${(e as Error).message}\n${usage}`);
    process.exit(2);
  }
}

const values = parse();
if (values.help) {
  console.log(usage);
  process.exit(0);
}

const server = await startLibsqlServer({
  path: values.db,
  port: int('port', values.port),
  host: values.host,
  streamIdleMs: int('idle-ms', values['idle-ms']),
});
// stdout carries only the URL, so a parent process can read it; the rest goes to stderr.
console.log(server.url);
console.error(`libSQL (Hrana over HTTP v2) serving ${values.db} at ${server.url}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void server.close().then(() => process.exit(0));
  });
}
