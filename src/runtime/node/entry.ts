// Node entry: the embedded default. One process serves the app and runs the same cron schedule.
import { serve } from '@hono/node-server';
import { Cron } from 'croner';
import { createApp } from '../../app.tsx';
import { ConfigError } from '../../core/config.ts';
import { DatabaseOpenError } from './db.ts';
import { CRONS, runScheduled } from '../../core/scheduled.ts';
import { issueAccessCode, OFFICE_UNIT } from '../../auth/codes.ts';
import { nodeDeps, openNodeRuntime } from './setup.ts';
import { isEmpty } from '../../core/seed.ts';
import { seedEmptyDatabase, seedModeOf } from '../../core/demo.ts';
import { BACKUP_CRON, dbFilePath, takeBackup } from './backup.ts';
import { BACKUP_DIR, PHOTOS_DIR } from './data-commands.ts';
import organisation from '../../../forms/organisation.ts';

async function main() {
  const { db, config } = await openNodeRuntime();
  const deps = nodeDeps(db, config);

  let adminCode: string | undefined;
  let leaderCode: string | undefined;
  const mode = seedModeOf(process.env.SEED);
  if (mode !== 'none' && (await isEmpty(db))) {
    const seeded = await seedEmptyDatabase(deps, mode, organisation);
    adminCode = (await issueAccessCode(db, { unitCode: OFFICE_UNIT, label: 'npm start' })).code;
    leaderCode = (await issueAccessCode(db, { unitCode: OFFICE_UNIT, leader: true, label: 'npm start' })).code;
    console.log(`Seeded the demo organisation: ${seeded.units} units, ${seeded.cadres} cadres.`);
    console.log(
      mode === 'plan'
        ? `Campaign: the plan's own dates, from ${seeded.startDate}.`
        : `Campaign: the plan moved to begin on ${seeded.startDate}, with ${seeded.submissions} demo entries and ${seeded.rankedDays} days ranked (SEED=plan keeps the 2014 dates).`,
    );
  }

  const app = createApp(deps);
  const port = Number(process.env.PORT ?? 8787);
  const server = serve({ fetch: app.fetch, port, hostname: process.env.HOST ?? '0.0.0.0' }, () => {
    const base = config.PUBLIC_BASE_URL;
    console.log(`Pingan is running on ${base} (database ${process.env.LIBSQL_URL || 'file:data/pingan.db'})`);
    console.log(`  Public forms:      ${base}/  (${base}/f/mass-feedback, /f/hazard-tip, /f/deputy-suggestion)`);
    console.log(`  Receipt lookup:    ${base}/r`);
    console.log(`  Posters (QR):      ${base}/posters/chencang  (any unit code)`);
    console.log(`  Sign in:           ${base}/signin`);
    console.log(`  Unit portal:       ${base}/unit`);
    console.log(`  Office:            ${base}/admin  (campaign settings: ${base}/admin/campaign)`);
    console.log(`  Leaders:           ${base}/leader`);
    console.log(`  Health:            ${base}/healthz`);
    if (!process.env.PUBLIC_BASE_URL) {
      console.log(`\n  Note: PUBLIC_BASE_URL is not set, so printed QR codes and posters point at ${base}, this machine.`);
      console.log('  Set PUBLIC_BASE_URL to the address residents’ phones can reach before printing posters.');
    }
    if (adminCode) {
      console.log(`\n  One-time admin access code (shown only now; keep it safe): ${adminCode}`);
      console.log(`  Read-only leader code: ${leaderCode}`);
      console.log('  Issue more with: npx pingan access-code --unit office [--leader], or at /admin/access');
    }
  });

  const jobs = CRONS.map(
    (cron) =>
      new Cron(cron, { timezone: 'UTC', protect: true }, async () => {
        await runScheduled(deps, cron, new Date());
      }),
  );
  // The embedded database's nightly backup (00:30 Beijing time), beside the shared jobs: Turso has its own.
  if (dbFilePath(process.env.LIBSQL_URL?.trim() || 'file:data/pingan.db')) {
    jobs.push(
      new Cron(BACKUP_CRON, { timezone: 'UTC', protect: true }, async () => {
        try {
          const b = await takeBackup(db, { to: BACKUP_DIR(), photosDir: PHOTOS_DIR() });
          deps.log.info('backup written', { dir: b.dir, photos: b.manifest.photos });
        } catch (err) {
          deps.log.error('backup failed', { error: (err as Error).message });
        }
      }),
    );
  }

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
