// What a database holds, read the same way by backups (on a snapshot file) and exports (on any LIBSQL_URL).
import type { Client } from '@libsql/client';

/** The newest migration a database has (drizzle's folderMillis) and how many; zeros for a non-Pingan file. */
export interface SchemaVersion {
  latest: number;
  migrations: number;
}

/** The application's tables: not SQLite's own, not drizzle's migrations table. */
export async function tableNames(client: Client): Promise<string[]> {
  const rows = await client.execute(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '\\_\\_%' ESCAPE '\\' ORDER BY name",
  );
  return rows.rows.map((r) => String(r[0]));
}

export async function schemaVersion(client: Client): Promise<SchemaVersion> {
  const has = (await client.execute("SELECT 1 FROM sqlite_master WHERE name = '__drizzle_migrations'")).rows.length > 0;
  if (!has) return { latest: 0, migrations: 0 };
  const r = (await client.execute('SELECT count(*), max(created_at) FROM __drizzle_migrations')).rows[0]!;
  return { latest: Number(r[1] ?? 0), migrations: Number(r[0] ?? 0) };
}

export async function rowCounts(client: Client, names: readonly string[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const t of names) counts[t] = Number((await client.execute(`SELECT count(*) FROM "${t}"`)).rows[0]![0]);
  return counts;
}
