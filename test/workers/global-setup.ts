// Starts the project's local libSQL HTTP server on a migrated, seeded file database for the workerd tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { migrateDb, openNodeDb } from '../../src/db/node.ts';
import { seedOrganisation } from '../../src/seed.ts';
import { startLibsqlServer } from '../../src/dev/libsql-server.ts';
import organisation from '../../forms/organisation.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    libsqlUrl: string;
    googleApiRoot: string;
    googleTokenUrl: string;
    googleServiceAccount: string;
    sheetId: string;
  }
}

export default async function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), 'pingan-workers-'));
  const path = join(dir, 'test.db');
  const db = await openNodeDb(`file:${path}`);
  await migrateDb(db);
  await seedOrganisation(db, organisation);
  db.$client.close();

  const server = await startLibsqlServer({ path, port: 0 });
  project.provide('libsqlUrl', server.url);
  project.provide('googleApiRoot', 'http://127.0.0.1:9/');
  project.provide('googleTokenUrl', 'http://127.0.0.1:9/token');
  project.provide('googleServiceAccount', '');
  project.provide('sheetId', '');

  return async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  };
}
