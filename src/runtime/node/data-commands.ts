// The CLI's data commands: backup, restore, export and import (see backup.ts and export.ts).
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import type { Command } from './cli-types.ts';
import { dbFilePath, listBackups, restoreBackup, RestoreError, takeBackup } from './backup.ts';
import { exportData, importData, ImportError } from './export.ts';
import { migrateDb, openNodeDb } from './db.ts';
import { DEFAULT_DB_URL } from './setup.ts';
import { enqueueAllTabs } from '../../sheets/outbox.ts';
import { auditEvents } from '../../db/schema.ts';

export const BACKUP_DIR = () => process.env.BACKUP_DIR || 'data/backups';
export const PHOTOS_DIR = () => process.env.PHOTOS_DIR || 'data/photos';
const dbUrl = () => process.env.LIBSQL_URL?.trim() || DEFAULT_DB_URL;

export const DATA_COMMANDS: Record<string, Command> = {
  backup: {
    summary: 'snapshot the embedded database and the photo folder into BACKUP_DIR (default data/backups), keeping 14 daily then weekly',
    usage: 'pingan backup [--to DIR]',
    async run(deps, args) {
      const { values } = parseArgs({ args, options: { to: { type: 'string' } } });
      if (!dbFilePath(dbUrl())) {
        console.error('backup works on the embedded database; on Turso use its point-in-time restore, or `pingan export`.');
        return 2;
      }
      const b = await takeBackup(deps.db, { to: values.to ?? BACKUP_DIR(), photosDir: PHOTOS_DIR(), at: deps.now(), actor: 'cli' });
      console.log(`Backup written to ${b.dir} (${Object.values(b.manifest.tables).reduce((a, n) => a + n, 0)} rows, ${b.manifest.photos} photos).`);
    },
  },
  restore: {
    summary: 'replace the embedded database (and photos) with a backup, after checking it; stop the server first',
    usage: 'pingan restore FILE|DIR',
    async run(deps, args) {
      const source = args[0] ?? (await listBackups(BACKUP_DIR()))[0]?.dir;
      const path = dbFilePath(dbUrl());
      if (!source || !path) {
        console.error(source ? 'restore works on the embedded database (LIBSQL_URL=file:…).' : `No backup given and none in ${BACKUP_DIR()}.`);
        return 2;
      }
      deps.db.$client.close();
      try {
        const r = await restoreBackup(source, { dbPath: path, photosDir: PHOTOS_DIR(), at: deps.now() });
        const db = await openNodeDb(`file:${path}`);
        try {
          await migrateDb(db);
          // The sheet mirrors the database: after a restore every tab is rebuilt from what is now there.
          await db.transaction(async (tx) => {
            await enqueueAllTabs(tx, deps.now());
            await tx.insert(auditEvents).values({ at: deps.now().getTime(), actor: 'cli', kind: 'restore', subject: source, detail: JSON.stringify({ replaced: r.replacedDb }) });
          });
        } finally {
          db.$client.close();
        }
        console.log(`Restored ${source}.${r.replacedDb ? ` The replaced database is kept as ${r.replacedDb}.` : ''}`);
      } catch (err) {
        if (err instanceof RestoreError) {
          console.error(err.message);
          return 1;
        }
        throw err;
      }
    },
  },
  export: {
    summary: 'write every table (JSON Lines) and every photo to a folder, to archive a campaign or move elsewhere',
    usage: 'pingan export --out DIR',
    async run(deps, args) {
      const { values } = parseArgs({ args, options: { out: { type: 'string' } } });
      const out = values.out ?? join('data', `export-${deps.now().toISOString().slice(0, 10)}`);
      const m = await exportData(deps.db, deps.photos, out, deps.now());
      console.log(`Exported ${Object.keys(m.tables).length} tables (${Object.values(m.tables).reduce((a, n) => a + n, 0)} rows) and ${m.photos} photos to ${out}.`);
    },
  },
  import: {
    summary: 'rebuild a new, empty database (start it with SEED=none) from an export folder',
    usage: 'pingan import DIR',
    async run(deps, args) {
      if (!args[0]) {
        console.error('Usage: pingan import DIR');
        return 2;
      }
      try {
        const r = await importData(deps.db, deps.photos, args[0]);
        console.log(`Imported ${Object.values(r.tables).reduce((a, n) => a + n, 0)} rows and ${r.photos} photos.`);
      } catch (err) {
        if (err instanceof ImportError) {
          console.error(err.message);
          return 1;
        }
        throw err;
      }
    },
  },
};
