// The office's settings, versioned: the campaign (src/campaign/) and the published form definitions (src/forms/).
import { integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

const createdAt = () => integer('created_at', { mode: 'number' }).notNull();

/**
 * Campaigns the office runs, one current at a time. `settings` is the whole editable campaign (dates,
 * deadlines, quotas, weights, slogans, tasks: src/campaign/settings.ts) as JSON; every save bumps
 * `version` and keeps the previous settings in campaign_versions, so the Worker's per-isolate cache
 * needs only `SELECT version` to know it is fresh.
 */
export const campaigns = sqliteTable(
  'campaigns',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    startDate: text('start_date').notNull(),
    endDate: text('end_date').notNull(),
    /** 1 for the current campaign, NULL for earlier ones: the unique index allows one current. */
    current: integer('current'),
    version: integer('version').notNull().default(1),
    settings: text('settings').notNull(),
    createdAt: createdAt(),
    updatedAt: integer('updated_at', { mode: 'number' }).notNull(),
    updatedBy: text('updated_by').notNull(),
  },
  (t) => [uniqueIndex('campaigns_current_idx').on(t.current)],
);

/** Every saved version of a campaign's settings: who saved what, and when. */
export const campaignVersions = sqliteTable(
  'campaign_versions',
  {
    campaignId: integer('campaign_id').notNull(),
    version: integer('version').notNull(),
    settings: text('settings').notNull(),
    savedAt: integer('saved_at', { mode: 'number' }).notNull(),
    savedBy: text('saved_by').notNull(),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.version] })],
);

/**
 * The forms as the office publishes them: one row per form with its current definition (JSON, the engine's
 * FormDefinition), so the per-isolate cache needs only each form's `version` to know it is fresh. A form
 * with no row is read from the template in forms/.
 */
export const storedForms = sqliteTable('forms', {
  id: text('id').primaryKey(),
  version: integer('version').notNull(),
  definition: text('definition').notNull(),
  updatedAt: integer('updated_at', { mode: 'number' }).notNull(),
  updatedBy: text('updated_by').notNull(),
});

/** Every published version of a form: submissions are read with the version they were answered under. */
export const formVersions = sqliteTable(
  'form_versions',
  {
    formId: text('form_id').notNull(),
    version: integer('version').notNull(),
    definition: text('definition').notNull(),
    note: text('note').notNull().default(''),
    savedAt: integer('saved_at', { mode: 'number' }).notNull(),
    savedBy: text('saved_by').notNull(),
  },
  (t) => [primaryKey({ columns: [t.formId, t.version] })],
);
