// Backups, restore, export and import of the embedded database: what a district self-hosting on Node relies on
// when a disk fails or a campaign is archived.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { backupsToPrune, inspectDatabase, listBackups, restoreBackup, RestoreError, takeBackup, type Backup } from '../../../src/runtime/node/backup.ts';
import { exportData, importData, ImportError } from '../../../src/runtime/node/export.ts';
import { diskPhotoStore } from '../../../src/runtime/node/photos.ts';
import { migrateDb, openNodeDb } from '../../../src/runtime/node/db.ts';
import { seedEmptyDatabase } from '../../../src/core/demo.ts';
import { createApp } from '../../../src/app.tsx';
import { auditEvents, meta, submissions } from '../../../src/db/schema.ts';
import { startNodeServer, type NodeServer } from '../../helpers/node-server.ts';
import { testConfig, testDeps } from '../../helpers/app.ts';
import organisation from '../../../forms/organisation.ts';

const dirs: string[] = [];
const servers: NodeServer[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'pingan-backup-'));
  dirs.push(d);
  return d;
};
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const FEEDBACK = { satisfaction: 'satisfied', aware: true, participated: false };
const post = (base: string, i: number) =>
  fetch(`${base}/api/v1/forms/mass-feedback/submissions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': `backup-${i}`, 'x-forwarded-for': `10.0.${i % 250}.1` },
    body: JSON.stringify(FEEDBACK),
  });

describe('backups of the embedded database', () => {
  it('taken under write load, restores every acknowledged row with an ok integrity check, and the restored server answers an old receipt', async () => {
    const server = await startNodeServer({ config: { SUBMIT_RATE_LIMIT: '10000' } });
    servers.push(server);
    const acknowledged: string[] = [];
    for (let i = 0; i < 20; i++) {
      const res = await post(server.url, i);
      expect(res.status).toBe(201);
      acknowledged.push(((await res.json()) as { receipt: string }).receipt);
    }
    const folder = tmp();
    // Writers keep going while the snapshot is taken.
    const during = Array.from({ length: 30 }, (_, i) => post(server.url, 100 + i));
    const backup = await takeBackup(server.db, { to: folder, photosDir: join(folder, 'no-photos') });
    expect((await Promise.all(during)).every((r) => r.status === 201)).toBe(true);

    expect(backup.manifest.tables.submissions).toBeGreaterThanOrEqual(20);
    expect((await inspectDatabase(join(backup.dir, 'pingan.db'))).integrity).toBe('ok');
    const [last] = await server.db.select().from(meta).where(eq(meta.key, 'last_backup'));
    expect(JSON.parse(last!.value).dir).toBe(backup.dir);
    expect((await server.db.select().from(auditEvents)).map((e) => e.kind)).toContain('backup');

    // Restore into where a lost database was.
    const target = join(tmp(), 'pingan.db');
    writeFileSync(target, 'the old, broken file');
    const restored = await restoreBackup(backup.dir, { dbPath: target, photosDir: join(tmp(), 'photos') });
    expect(restored.replacedDb).toMatch(/pingan\.db\.replaced-/);
    const db = await openNodeDb(`file:${target}`);
    try {
      await migrateDb(db);
      const receipts = new Set((await db.select({ r: submissions.receipt }).from(submissions)).map((r) => r.r));
      for (const r of acknowledged) expect(receipts.has(r)).toBe(true);
      const app = createApp(testDeps({ db, config: testConfig(), now: () => new Date() }));
      const res = await app.request(`/api/v1/receipts/${acknowledged[0]}`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ form: 'mass-feedback' });
    } finally {
      db.$client.close();
    }
  }, 20_000);

  it('interrupted halfway never replaces or hides the previous backup, and the next run clears what it left', async () => {
    const server = await startNodeServer();
    servers.push(server);
    const folder = tmp();
    const first = await takeBackup(server.db, { to: folder, photosDir: join(folder, 'none'), at: new Date('2026-11-30T16:30:00Z') });
    await expect(
      takeBackup(server.db, {
        to: folder,
        photosDir: join(folder, 'none'),
        at: new Date('2026-12-01T16:30:00Z'),
        beforeRename: async () => {
          throw new Error('power cut');
        },
      }),
    ).rejects.toThrow('power cut');
    expect((await listBackups(folder)).map((b) => b.dir)).toEqual([first.dir]);
    expect((await inspectDatabase(join(first.dir, 'pingan.db'))).ok).toBe(true);

    // A process killed outright leaves its partial folder: it is not a backup, and the next run removes it.
    mkdirSync(join(folder, '.pingan-20261202-163000Z.partial'));
    writeFileSync(join(folder, '.pingan-20261202-163000Z.partial', 'pingan.db'), 'half a file');
    expect((await listBackups(folder)).map((b) => b.dir)).toEqual([first.dir]);
    const second = await takeBackup(server.db, { to: folder, photosDir: join(folder, 'none'), at: new Date('2026-12-02T16:40:00Z') });
    expect(readdirSync(folder).sort()).toEqual([first.dir, second.dir].map((d) => d.slice(folder.length + 1)).sort());
  }, 20_000);

  it('restore refuses a damaged file and one from a newer version, replacing nothing', async () => {
    const target = join(tmp(), 'pingan.db');
    writeFileSync(target, 'current');
    const junk = join(tmp(), 'junk.db');
    writeFileSync(junk, 'SQLite format 3\u0000 but not really');
    await expect(restoreBackup(junk, { dbPath: target, photosDir: join(tmp(), 'p') })).rejects.toThrow(RestoreError);

    const newer = join(tmp(), 'newer.db');
    const db = await openNodeDb(`file:${newer}`);
    await migrateDb(db);
    await db.$client.execute("INSERT INTO __drizzle_migrations (hash, created_at) VALUES ('future', 99999999999999)");
    db.$client.close();
    await expect(restoreBackup(newer, { dbPath: target, photosDir: join(tmp(), 'p') })).rejects.toThrow(/newer version/);
    expect(readdirSync(join(target, '..'))).toEqual(['pingan.db']);
  });

  const DAY = 24 * 3600 * 1000;
  const b = (daysAgo: number): Backup => ({ dir: `d${daysAgo}`, at: 100 * DAY - daysAgo * DAY, manifest: {} as Backup['manifest'] });
  it.each([
    { name: 'keeps every backup of the last 14 days', ages: [0, 1, 2, 13], dropped: [] },
    { name: 'keeps the newest of each older week', ages: [15, 16, 17, 22, 23], dropped: ['d16', 'd17', 'd23'] },
    { name: 'drops nothing that is alone in its week', ages: [20, 30, 40], dropped: [] },
  ])('prunes: $name', ({ ages, dropped }) => {
    expect(backupsToPrune(ages.map(b), 100 * DAY).map((x) => x.dir).sort()).toEqual(dropped.sort());
  });
});

describe('export and import', () => {
  it('reproduces every table row for row, and the photos, in a new database', async () => {
    const dir = tmp();
    const source = await openNodeDb(`file:${join(dir, 'a.db')}`);
    const target = await openNodeDb(`file:${join(dir, 'b.db')}`);
    try {
      await migrateDb(source);
      await migrateDb(target);
      const photosA = diskPhotoStore(join(dir, 'photos-a'));
      const deps = testDeps({ db: source, config: testConfig(), now: () => new Date('2026-12-01T02:00:00Z'), photos: photosA });
      await seedEmptyDatabase(deps, 'demo', organisation);
      const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9]);
      await photosA.put('tips/2026/12/abcdefgh1234.jpg', jpeg, 'image/jpeg');
      await source.run(sqlPhoto('tips/2026/12/abcdefgh1234.jpg'));

      const out = join(dir, 'export');
      const manifest = await exportData(source, photosA, out);
      expect(manifest.photos).toBe(1);
      expect(manifest.tables.submissions).toBeGreaterThan(50);

      const photosB = diskPhotoStore(join(dir, 'photos-b'));
      const r = await importData(target, photosB, out);
      expect(r.tables).toEqual(manifest.tables);
      for (const table of Object.keys(manifest.tables)) {
        // Row for row, in any order (the rollup tables have no rowid to order by).
        const rowsOf = async (d: typeof source) => (await d.$client.execute(`SELECT * FROM "${table}"`)).rows.map((r) => JSON.stringify(r)).sort();
        expect(await rowsOf(target), table).toEqual(await rowsOf(source));
      }
      expect((await photosB.get('tips/2026/12/abcdefgh1234.jpg'))?.bytes).toEqual(jpeg);

      // A second import into the now full database is refused and adds nothing.
      await expect(importData(target, photosB, out)).rejects.toThrow(ImportError);
    } finally {
      source.$client.close();
      target.$client.close();
    }
  }, 20_000);
});

function sqlPhoto(key: string) {
  return sql`UPDATE submissions SET payload = json_set(payload, '$.photo', ${key}) WHERE id = (SELECT min(id) FROM submissions WHERE form_id = 'hazard-tip')`;
}
