// Shared set-up for the sheet tests: an app whose sheet gateway talks to the fake Google, and submissions through the store.
import { eq } from 'drizzle-orm';
import { cadres, units } from '../../src/db/schema.ts';
import { validateAnswers } from '../../src/forms/schema.ts';
import { storeSubmission } from '../../src/submissions/store.ts';
import { createGoogleSheetsGateway } from '../../src/sheets/client.ts';
import type { FakeGoogle } from '../fakes/google/index.ts';
import { makeTestApp, type TestContext } from './app.ts';
import forms from '../../forms/index.ts';

export async function makeSheetsApp(fake: FakeGoogle, now = '2014-11-04T02:00:00Z'): Promise<TestContext> {
  const sheets = createGoogleSheetsGateway({ serviceAccountJson: fake.serviceAccountJson, spreadsheetId: fake.spreadsheetId, apiRoot: fake.apiRoot, tokenUrl: fake.tokenUrl });
  return makeTestApp({ now, deps: { sheets } });
}

/** Validates like the form routes do, then stores through the submissions store (which runs the outbox hook). */
export async function submit(t: TestContext, formId: string, input: Record<string, unknown>, unitCode: string | null = null) {
  const form = forms.find((f) => f.id === formId);
  if (!form) throw new Error(`no form ${formId}`);
  const unitRows = await t.db.select({ code: units.code, name: units.name }).from(units);
  const cadreRows = unitCode ? await t.db.select({ id: cadres.id, name: cadres.name }).from(cadres).where(eq(cadres.unitCode, unitCode)) : [];
  const v = validateAnswers(form, input, { units: unitRows, places: unitRows, cadres: cadreRows });
  if (!v.ok) throw new Error(`invalid ${formId}: ${JSON.stringify(v.errors)}`);
  return storeSubmission(t.deps, { form, answers: v.answers, personal: v.personal, unitCode, source: unitCode && form.audience === 'unit' ? 'unit' : 'public' });
}
