// Taking the data along: every table as JSON Lines (one file per table) with the schema version, and every
// photo; and rebuilding an empty database from such a folder. Works against any LIBSQL_URL, Turso included.
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Db } from '../../db/index.ts';
import { PHOTO_KEY } from '../../forms/schema.ts';
import { rowCounts, schemaVersion, tableNames, type SchemaVersion } from './db-facts.ts';
import { collectPhotoKeys, sniffPhotoType, type PhotoStore } from '../../submissions/photos.ts';

export interface ExportManifest {
  format: 1;
  createdAt: string;
  schema: SchemaVersion;
  tables: Record<string, number>;
  photos: number;
}

const PAGE = 1000;

/** Writes `out/manifest.json`, `out/tables/NAME.jsonl` and `out/photos/KEY`; returns the manifest. */
export async function exportData(db: Db, photos: PhotoStore, out: string, at = new Date()): Promise<ExportManifest> {
  await mkdir(join(out, 'tables'), { recursive: true });
  const tables: Record<string, number> = {};
  const keys = new Set<string>();
  // Tables WITHOUT ROWID (the ranking rollups) have no rowid to page by: their primary key orders them.
  const withoutRowid = new Set(
    (await db.$client.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND upper(sql) LIKE '%WITHOUT ROWID%'")).rows.map((r) => String(r[0])),
  );
  for (const name of await tableNames(db.$client)) {
    const lines: string[] = [];
    const order = withoutRowid.has(name) ? '' : ' ORDER BY rowid';
    for (let offset = 0; ; offset += PAGE) {
      const page = await db.$client.execute({ sql: `SELECT * FROM "${name}"${order} LIMIT ? OFFSET ?`, args: [PAGE, offset] });
      for (const row of page.rows) {
        const obj: Record<string, unknown> = {};
        page.columns.forEach((col, i) => (obj[col] = row[i]));
        collectPhotoKeys(obj, keys);
        lines.push(JSON.stringify(obj));
      }
      if (page.rows.length < PAGE) break;
    }
    await writeFile(join(out, 'tables', `${name}.jsonl`), lines.length ? `${lines.join('\n')}\n` : '');
    tables[name] = lines.length;
  }
  let photoCount = 0;
  for (const key of keys) {
    const photo = await photos.get(key);
    if (!photo) continue;
    const path = join(out, 'photos', key);
    await mkdir(join(path, '..'), { recursive: true });
    await writeFile(path, photo.bytes);
    photoCount++;
  }
  const manifest: ExportManifest = { format: 1, createdAt: at.toISOString(), schema: await schemaVersion(db.$client), tables, photos: photoCount };
  await writeFile(join(out, 'manifest.json'), JSON.stringify(manifest, null, 2));
  return manifest;
}

export class ImportError extends Error {
  override name = 'ImportError';
}

/**
 * Rebuilds a freshly migrated, empty database from an export folder: every table in one transaction (all or
 * nothing), then the photos. Refuses a non-empty database and an export from another schema version.
 */
export async function importData(db: Db, photos: PhotoStore, dir: string): Promise<{ tables: Record<string, number>; photos: number }> {
  if (!existsSync(join(dir, 'manifest.json'))) throw new ImportError(`${dir} is not a Pingan export (no manifest.json).`);
  const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as ExportManifest;
  const here = await schemaVersion(db.$client);
  if (manifest.schema.latest !== here.latest) {
    throw new ImportError(
      `The export was made with another schema version (${manifest.schema.migrations} migrations) than this database (${here.migrations}); import it with the same version of Pingan.`,
    );
  }
  const names = await tableNames(db.$client);
  for (const [name, n] of Object.entries(await rowCounts(db.$client, names))) {
    if (n > 0) throw new ImportError(`The database is not empty (${name} has ${n} rows); import needs a new database (SEED=none).`);
  }
  const statements: { sql: string; args: (string | number | null)[] }[] = [{ sql: 'PRAGMA defer_foreign_keys = ON', args: [] }];
  const counts: Record<string, number> = {};
  // The rollups are derived: the rows inserted before them fill them by trigger, so they come last and replace that.
  const derived = (name: string) => name.startsWith('rollup_');
  const order = [...Object.keys(manifest.tables).filter((n) => !derived(n)), ...Object.keys(manifest.tables).filter(derived)];
  for (const name of order) {
    if (!names.includes(name)) throw new ImportError(`The export has a table this database does not: ${name}.`);
    counts[name] = 0;
    if (derived(name)) statements.push({ sql: `DELETE FROM "${name}"`, args: [] });
    const file = join(dir, 'tables', `${name}.jsonl`);
    if (!existsSync(file)) continue;
    for await (const line of createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity })) {
      if (!line.trim()) continue;
      const row = JSON.parse(line) as Record<string, string | number | null>;
      const cols = Object.keys(row);
      statements.push({
        sql: `INSERT INTO "${name}" (${cols.map((c) => `"${c.replace(/"/g, '""')}"`).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`,
        args: cols.map((c) => row[c] ?? null),
      });
      counts[name]++;
    }
  }
  // One batch is one transaction on every libSQL backend: a bad row leaves the database as empty as it was.
  await db.$client.batch(statements, 'write');
  let photoCount = 0;
  const photoDir = join(dir, 'photos');
  if (existsSync(photoDir)) {
    for (const e of await readdir(photoDir, { withFileTypes: true, recursive: true })) {
      if (!e.isFile()) continue;
      const full = join(e.parentPath, e.name);
      const key = full.slice(photoDir.length + 1).split('\\').join('/');
      if (!PHOTO_KEY.test(key)) continue;
      const bytes = new Uint8Array(await readFile(full));
      const type = sniffPhotoType(bytes);
      if (!type) continue;
      await photos.put(key, bytes, type);
      photoCount++;
    }
  }
  return { tables: counts, photos: photoCount };
}
