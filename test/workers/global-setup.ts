// Starts the project's local libSQL HTTP server on a migrated, seeded file database for the workerd tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { migrateDb, openNodeDb } from '../../src/runtime/node/db.ts';
import { seedOrganisation } from '../../src/core/seed.ts';
import { startLibsqlServer } from '../../tools/libsql-server/server.ts';
import organisation from '../../forms/organisation.ts';
import { startFakeGoogle } from '../fakes/google/index.ts';
import { startFakeProviders } from '../fakes/notify/index.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    libsqlUrl: string;
    googleApiRoot: string;
    googleTokenUrl: string;
    googleServiceAccount: string;
    sheetId: string;
    notifyRoot: string;
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
  // A fake Google the Worker signs its JWT for and writes the sheet to; tests read it over /_fake/*.
  const google = await startFakeGoogle();
  project.provide('googleApiRoot', google.apiRoot);
  project.provide('googleTokenUrl', google.tokenUrl);
  project.provide('googleServiceAccount', google.serviceAccountJson);
  project.provide('sheetId', google.spreadsheetId);
  // Fake robots, webhook and SMS provider behind one root; tests read what they received at /_fake/notify.
  const providers = await startFakeProviders();
  project.provide('notifyRoot', providers.root);

  return async () => {
    await server.close();
    await google.close();
    await providers.close();
    rmSync(dir, { recursive: true, force: true });
  };
}
