// Hand-ins (R3, R7): a unit's frozen report for one campaign deadline — the ledger or visit summary as it stood when handed in.
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const handIns = sqliteTable(
  'hand_ins',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    campaignId: integer('campaign_id').notNull(),
    /** The campaign deadline's id (settings.deadlines[].id). */
    deadlineId: text('deadline_id').notNull(),
    unitCode: text('unit_code').notNull(),
    /** The form whose records were frozen (hazard-ledger or household-visit). */
    formId: text('form_id').notNull(),
    at: integer('at', { mode: 'number' }).notNull(),
    /** Asia/Shanghai day of `at`; late when after the deadline's date. */
    day: text('day').notNull(),
    late: integer('late', { mode: 'boolean' }).notNull(),
    rowCount: integer('row_count').notNull(),
    /** JSON {headers, rows}: the export table as handed in, personal data masked. */
    snapshot: text('snapshot').notNull(),
    /** The access code that handed in (its id). */
    codeId: integer('code_id'),
  },
  (t) => [
    uniqueIndex('hand_ins_unit_deadline_idx').on(t.campaignId, t.deadlineId, t.unitCode),
    index('hand_ins_deadline_idx').on(t.campaignId, t.deadlineId),
  ],
);
