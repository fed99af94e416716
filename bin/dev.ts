// `npm run dev`: the Worker in workerd (wrangler dev) against the project's local libSQL HTTP server.
import { spawn } from 'node:child_process';
import { startLibsqlServer } from '../tools/libsql-server/server.ts';
import { issueAccessCode, OFFICE_UNIT } from '../src/auth/codes.ts';
import { openNodeRuntime } from '../src/runtime/node/setup.ts';
import { isEmpty, seedOrganisation } from '../src/core/seed.ts';
import organisation from '../forms/organisation.ts';

const dbPath = process.env.DEV_DB ?? 'data/dev.db';
const libsqlPort = Number(process.env.LIBSQL_PORT ?? 8080);
const port = process.env.PORT ?? '8787';

const { db, config } = await openNodeRuntime({ ...process.env, LIBSQL_URL: `file:${dbPath}`, PORT: port });
let adminCode: string | undefined;
if (process.env.SEED !== 'none' && (await isEmpty(db))) {
  await seedOrganisation(db, organisation);
  adminCode = (await issueAccessCode(db, { unitCode: OFFICE_UNIT, label: 'npm run dev' })).code;
}
db.$client.close();

const server = await startLibsqlServer({ path: dbPath, port: libsqlPort });
console.log(`libSQL HTTP server on ${server.url} (${dbPath})`);
if (adminCode) console.log(`One-time admin access code: ${adminCode}`);

const wrangler = spawn(
  'npx',
  ['wrangler', 'dev', '--port', port, '--var', `LIBSQL_URL:${server.url}`, '--var', `SESSION_SECRET:${config.SESSION_SECRET}`],
  { stdio: 'inherit' },
);
const stop = async () => {
  wrangler.kill('SIGTERM');
  await server.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
wrangler.on('exit', async (code) => {
  await server.close();
  process.exit(code ?? 0);
});
