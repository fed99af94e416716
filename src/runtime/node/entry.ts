// Node entry: the embedded default. One process serves the app and runs the same cron schedule.
import { serve } from '@hono/node-server';
import { Cron } from 'croner';
import { createApp } from '../../app.tsx';
import { ConfigError } from '../../core/config.ts';
import { DatabaseOpenError } from './db.ts';
import { CRONS, runScheduled } from '../../core/scheduled.ts';
import { issueAccessCode, OFFICE_UNIT } from '../../auth/codes.ts';
import { nodeDeps, openNodeRuntime } from './setup.ts';
import { isEmpty, seedOrganisation } from '../../core/seed.ts';
import organisation from '../../../forms/organisation.ts';

async function main() {
  const { db, config } = await openNodeRuntime();
  const deps = nodeDeps(db, config);

  let adminCode: string | undefined;
  if (process.env.SEED !== 'none' && (await isEmpty(db))) {
    const seeded = await seedOrganisation(db, organisation);
    adminCode = (await issueAccessCode(db, { unitCode: OFFICE_UNIT, label: 'npm start' })).code;
    console.log(`Seeded the demo organisation: ${seeded.units} units, ${seeded.cadres} cadres.`);
  }

  const app = createApp(deps);
  const port = Number(process.env.PORT ?? 8787);
  const server = serve({ fetch: app.fetch, port, hostname: process.env.HOST ?? '0.0.0.0' }, () => {
    const base = config.PUBLIC_BASE_URL;
    console.log(`Pingan is running on ${base} (database ${process.env.LIBSQL_URL || 'file:data/pingan.db'})`);
    console.log(`  Public forms:  ${base}/`);
    console.log(`  Unit portal:   ${base}/unit`);
    console.log(`  Office:        ${base}/admin`);
    console.log(`  Health:        ${base}/healthz`);
    if (adminCode) {
      console.log(`\n  One-time admin access code (shown only now; keep it safe): ${adminCode}`);
      console.log('  Issue more with: npx pingan access-code --unit office');
    }
  });

  const jobs = CRONS.map(
    (cron) =>
      new Cron(cron, { timezone: 'UTC', protect: true }, async () => {
        await runScheduled(deps, cron, new Date());
      }),
  );

  const stop = () => {
    for (const job of jobs) job.stop();
    server.close();
    db.$client.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof DatabaseOpenError) {
    console.error(err.message);
  } else {
    const e = err as { code?: string; message?: string };
    console.error(`Pingan could not start: ${e.code ? `${e.code}: ` : ''}${e.message ?? String(err)}`);
  }
  process.exit(1);
});
