// `npx pingan <command>`: administration against LIBSQL_URL (the embedded database by default).
import { parseArgs } from 'node:util';
import { ConfigError } from '../../core/config.ts';
import { DatabaseOpenError } from './db.ts';
import { issueAccessCode } from '../../auth/codes.ts';
import { nodeDeps, openNodeRuntime } from './setup.ts';
import { seedOrganisation } from '../../core/seed.ts';
import { ensureCampaign } from '../../campaign/store.ts';
import { ensureForms } from '../../forms/store.ts';
import { templateSettings } from '../../campaign/settings.ts';
import { computeSnapshot, dayJustEnded } from '../../rankings/index.ts';
import { isValidDay } from '../../lib/time.ts';
import organisation from '../../../forms/organisation.ts';
import { sheetsSyncCommand } from '../../sheets/command.ts';
import { notifyCommand } from '../../notifications/command.ts';
import { rollupsCommand } from '../../rankings/command.ts';

export type { Command } from './cli-types.ts';
import type { Command } from './cli-types.ts';
import { DATA_COMMANDS } from './data-commands.ts';
import { importOrgCommand } from '../../organisation/command.ts';

export const COMMANDS: Record<string, Command> = {
  migrate: {
    summary: 'apply the migrations in drizzle/ to LIBSQL_URL',
    usage: 'pingan migrate',
    async run() {
      console.log('Migrations applied.');
    },
  },
  seed: {
    summary: 'load the demo organisation of forms/organisation.ts (existing units are kept) and the campaign and forms of forms/ if none are stored',
    usage: 'pingan seed',
    async run(deps) {
      const r = await seedOrganisation(deps.db, organisation);
      // The campaign of forms/ with the plan's own dates, unless one is already stored; the office edits it at /admin/campaign.
      const id = await ensureCampaign(deps.db, templateSettings(), deps.now().getTime(), 'cli');
      // The forms of forms/ as version 1 of each, unless the office has published its own; it edits them at /admin/forms.
      await ensureForms(deps.db, deps.now().getTime(), 'cli');
      console.log(`Seeded ${r.units} units and ${r.cadres} cadres; the current campaign is #${id}.`);
    },
  },
  'access-code': {
    summary: "print a new access code for a unit (office codes are admin codes; --leader gives a read-only leader code)",
    usage: 'pingan access-code --unit CODE [--leader] [--label TEXT]',
    async run(deps, args) {
      const { values } = parseArgs({
        args,
        options: { unit: { type: 'string' }, leader: { type: 'boolean' }, label: { type: 'string' } },
      });
      if (!values.unit) {
        console.error('Missing --unit CODE (the district office is "office").');
        return 2;
      }
      try {
        const issued = await issueAccessCode(deps.db, { unitCode: values.unit, leader: values.leader, label: values.label ?? 'cli' });
        console.error(`New ${issued.role} access code for ${issued.unitCode} (shown once):`);
        console.log(issued.code);
      } catch (err) {
        console.error((err as Error).message);
        return 2;
      }
    },
  },
  rankings: {
    summary: 'compute (or recompute, replacing it) the daily ranking of a day; default yesterday (Asia/Shanghai)',
    usage: 'pingan rankings [--date YYYY-MM-DD]',
    async run(deps, args) {
      const { values } = parseArgs({ args, options: { date: { type: 'string' } } });
      const day = values.date ?? dayJustEnded(deps.now());
      if (!isValidDay(day)) {
        console.error(`Not a date: ${day} (use YYYY-MM-DD, e.g. 2014-11-04).`);
        return 2;
      }
      const rows = await computeSnapshot(deps, day);
      for (const r of rows) console.log(`${day}\t${r.grp}\t${r.rank}\t${r.unitCode}\t${(r.scoreX100 / 100).toFixed(2)}`);
      console.error(`Ranking of ${day} stored: ${rows.length} units.`);
    },
  },
  'sheets-sync': sheetsSyncCommand,
  notify: notifyCommand,
  rollups: rollupsCommand,
  'import-org': importOrgCommand,
  ...DATA_COMMANDS,
};

function help() {
  console.log('Usage: npx pingan <command> [options]\n');
  for (const cmd of Object.values(COMMANDS)) console.log(`  ${cmd.usage.padEnd(48)} ${cmd.summary}`);
  console.log('\nThe database is LIBSQL_URL (with LIBSQL_AUTH_TOKEN), default file:data/pingan.db.');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    help();
    return 0;
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    console.error(`Unknown command: ${name}`);
    help();
    return 2;
  }
  const { db, config } = await openNodeRuntime();
  try {
    const code = await cmd.run(nodeDeps(db, config), args);
    return code ?? 0;
  } finally {
    db.$client.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof ConfigError || err instanceof DatabaseOpenError) console.error(err.message);
    else console.error(`pingan: ${(err as Error).message ?? String(err)}`);
    process.exit(1);
  },
);
