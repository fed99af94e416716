// Backups of the embedded database on Node: a consistent snapshot (VACUUM INTO) plus the photo folder, written
// beside the previous ones and renamed into place only when complete; restore checks before it replaces.
import { cp, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { createClient } from '@libsql/client';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/index.ts';
import { auditEvents, meta } from '../../db/schema.ts';
import { MIGRATIONS_FOLDER } from './db.ts';
import { rowCounts, schemaVersion, tableNames, type SchemaVersion } from './db-facts.ts';
import { LAST_BACKUP_KEY } from '../../admin/data-care.tsx';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Every backup of the last 14 days is kept; older ones, the newest of each week. */
const DAILY_KEEP_DAYS = 14;
/** 00:30 Beijing time, after the 00:05 ranking. */
export const BACKUP_CRON = '30 16 * * *';

export interface BackupManifest {
  format: 1;
  createdAt: string;
  schema: SchemaVersion;
  tables: Record<string, number>;
  photos: number;
}

export interface Backup {
  dir: string;
  at: number;
  manifest: BackupManifest;
}

const stamp = (at: Date) => at.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z').replace('T', '-');

/** The file path of a `file:` database URL, or null for a remote one (Turso has point-in-time restore instead). */
export function dbFilePath(url: string): string | null {
  if (!url.startsWith('file:')) return null;
  const path = url.slice('file:'.length).split('?')[0]!;
  return path && path !== ':memory:' ? resolve(path) : null;
}

async function countFiles(dir: string): Promise<number> {
  if (!existsSync(dir)) return 0;
  let n = 0;
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) if (e.isFile()) n++;
  return n;
}

/** Integrity and schema version of a database file, read without changing it. */
export async function inspectDatabase(path: string): Promise<{ ok: boolean; integrity: string; schema: BackupManifest['schema']; tables: Record<string, number> }> {
  const client = createClient({ url: `file:${path}`, intMode: 'number' });
  try {
    const integrity = String((await client.execute('PRAGMA integrity_check')).rows[0]?.[0] ?? '');
    return { ok: integrity === 'ok', integrity, schema: await schemaVersion(client), tables: await rowCounts(client, await tableNames(client)) };
  } finally {
    client.close();
  }
}

/** Backups in a folder, newest first; half-written ones (a `.partial` folder) are not backups. */
export async function listBackups(folder: string): Promise<Backup[]> {
  if (!existsSync(folder)) return [];
  const out: Backup[] = [];
  for (const e of await readdir(folder, { withFileTypes: true })) {
    if (!e.isDirectory() || e.name.startsWith('.')) continue;
    try {
      const manifest = JSON.parse(await readFile(join(folder, e.name, 'manifest.json'), 'utf8')) as BackupManifest;
      out.push({ dir: join(folder, e.name), at: Date.parse(manifest.createdAt), manifest });
    } catch {
      // Not one of ours, or damaged: leave it alone, never count it.
    }
  }
  return out.sort((a, b) => b.at - a.at);
}

/** Which backups to delete: all of the last 14 days are kept, then the newest of each 7-day span. */
export function backupsToPrune(backups: readonly Backup[], now: number): Backup[] {
  const seenWeeks = new Set<number>();
  const drop: Backup[] = [];
  for (const b of [...backups].sort((x, y) => y.at - x.at)) {
    const age = now - b.at;
    if (age < DAILY_KEEP_DAYS * DAY_MS) continue;
    const week = Math.floor(age / (7 * DAY_MS));
    if (seenWeeks.has(week)) drop.push(b);
    else seenWeeks.add(week);
  }
  return drop;
}

/**
 * Takes a backup of the live database and the photo folder into `to`. Written as `.NAME.partial` and renamed
 * when complete and checked, so a backup killed halfway never replaces, corrupts or hides the previous one.
 */
export async function takeBackup(
  db: Db,
  opts: { to: string; photosDir: string; at?: Date; actor?: string; /** Called with the complete partial folder just before it is renamed into place. */ beforeRename?: (partial: string) => Promise<void> },
): Promise<Backup> {
  const at = opts.at ?? new Date();
  const folder = resolve(opts.to);
  await mkdir(folder, { recursive: true });
  // A run that died earlier left its partial folder: it was never a backup.
  for (const e of await readdir(folder)) if (e.startsWith('.') && e.endsWith('.partial')) await rm(join(folder, e), { recursive: true, force: true });
  const name = `pingan-${stamp(at)}`;
  const partial = join(folder, `.${name}.partial`);
  await mkdir(partial, { recursive: true });
  try {
    const file = join(partial, 'pingan.db');
    // One consistent snapshot of the live database, taken under its read lock while writers go on.
    await db.run(sql.raw(`VACUUM INTO '${file.replace(/'/g, "''")}'`));
    if (existsSync(opts.photosDir)) await cp(opts.photosDir, join(partial, 'photos'), { recursive: true });
    const checked = await inspectDatabase(file);
    if (!checked.ok) throw new Error(`the snapshot failed its integrity check: ${checked.integrity}`);
    const manifest: BackupManifest = {
      format: 1,
      createdAt: at.toISOString(),
      schema: checked.schema,
      tables: checked.tables,
      photos: await countFiles(join(partial, 'photos')),
    };
    await writeFile(join(partial, 'manifest.json'), JSON.stringify(manifest, null, 2));
    await opts.beforeRename?.(partial);
    await rename(partial, join(folder, name));
    const backup = { dir: join(folder, name), at: at.getTime(), manifest };
    for (const old of backupsToPrune(await listBackups(folder), at.getTime())) await rm(old.dir, { recursive: true, force: true });
    const bytes = (await stat(join(backup.dir, 'pingan.db'))).size;
    await db.batch([
      db
        .insert(meta)
        .values({ key: LAST_BACKUP_KEY, value: JSON.stringify({ at: backup.at, dir: backup.dir, bytes }), updatedAt: at.getTime() })
        .onConflictDoUpdate({ target: meta.key, set: { value: JSON.stringify({ at: backup.at, dir: backup.dir, bytes }), updatedAt: at.getTime() } }),
      db.insert(auditEvents).values({ at: at.getTime(), actor: opts.actor ?? 'system', kind: 'backup', subject: basename(backup.dir), detail: JSON.stringify({ bytes, photos: manifest.photos }) }),
    ]);
    return backup;
  } catch (err) {
    await rm(partial, { recursive: true, force: true });
    throw err;
  }
}

export class RestoreError extends Error {
  override name = 'RestoreError';
}

/**
 * Replaces the database at `dbPath` (and the photo folder, when the backup has one) with a backup, after
 * checking its integrity and that this version of Pingan knows its schema. The replaced files are kept
 * aside as `NAME.replaced-STAMP`. Run it with the server stopped. Returns where the old files went.
 */
export async function restoreBackup(source: string, opts: { dbPath: string; photosDir: string; at?: Date }): Promise<{ replacedDb: string | null; replacedPhotos: string | null; manifest: BackupManifest | null }> {
  const at = opts.at ?? new Date();
  const src = resolve(source);
  const isDir = existsSync(src) && (await stat(src)).isDirectory();
  const file = isDir ? join(src, 'pingan.db') : src;
  if (!existsSync(file)) throw new RestoreError(`No database in ${source} (expected a backup folder with pingan.db, or a .db file).`);
  let checked: Awaited<ReturnType<typeof inspectDatabase>>;
  try {
    checked = await inspectDatabase(file);
  } catch (err) {
    throw new RestoreError(`${source} is not a readable database (${(err as Error).message.split('\n')[0]}); nothing was replaced.`);
  }
  if (!checked.ok) throw new RestoreError(`The backup is damaged (integrity check: ${checked.integrity}); nothing was replaced.`);
  const known = readMigrationFiles({ migrationsFolder: MIGRATIONS_FOLDER });
  if (checked.schema.migrations === 0) throw new RestoreError('The file is not a Pingan database (no migrations recorded); nothing was replaced.');
  if (!known.some((m) => m.folderMillis === checked.schema.latest)) {
    throw new RestoreError('The backup comes from a newer version of Pingan than this one; upgrade first. Nothing was replaced.');
  }
  const manifest = isDir && existsSync(join(src, 'manifest.json')) ? (JSON.parse(await readFile(join(src, 'manifest.json'), 'utf8')) as BackupManifest) : null;

  const suffix = `.replaced-${stamp(at)}`;
  let replacedDb: string | null = null;
  if (existsSync(opts.dbPath)) {
    replacedDb = `${opts.dbPath}${suffix}`;
    await rename(opts.dbPath, replacedDb);
  }
  // The old database's WAL belongs to the old file; left beside the new one it would be replayed into it.
  for (const ext of ['-wal', '-shm']) if (existsSync(opts.dbPath + ext)) await rename(opts.dbPath + ext, `${replacedDb ?? opts.dbPath}${ext}`);
  await mkdir(resolve(opts.dbPath, '..'), { recursive: true });
  await cp(file, `${opts.dbPath}.restoring`);
  await rename(`${opts.dbPath}.restoring`, opts.dbPath);

  let replacedPhotos: string | null = null;
  if (isDir && existsSync(join(src, 'photos'))) {
    if (existsSync(opts.photosDir)) {
      replacedPhotos = `${opts.photosDir.replace(/\/$/, '')}${suffix}`;
      await rename(opts.photosDir, replacedPhotos);
    }
    await cp(join(src, 'photos'), opts.photosDir, { recursive: true });
  }
  return { replacedDb, replacedPhotos, manifest };
}
