// The plan's work flows between units: a deputy's suggestion forwarded by the office to departments, each
// department's drafted answer and the office's decision on it (R9, R13).
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const SUGGESTION_FORWARD_STATES = ['forwarded', 'drafted', 'approved', 'returned'] as const;
export type SuggestionForwardState = (typeof SUGGESTION_FORWARD_STATES)[number];

/** One department's share of a suggestion: its deadline, its latest draft answer and the office's decision. */
export const suggestionForwards = sqliteTable(
  'suggestion_forwards',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** The deputy-suggestion submission (no foreign key here: the submissions table lives in schema.ts). */
    submissionId: integer('submission_id').notNull(),
    unitCode: text('unit_code').notNull(),
    deadline: text('deadline').notNull(),
    state: text('state', { enum: SUGGESTION_FORWARD_STATES }).notNull(),
    draft: text('draft'),
    /** The office's reason when it returns a draft. */
    reason: text('reason'),
    forwardedAt: integer('forwarded_at', { mode: 'number' }).notNull(),
    draftedAt: integer('drafted_at', { mode: 'number' }),
    decidedAt: integer('decided_at', { mode: 'number' }),
  },
  (t) => [uniqueIndex('suggestion_forwards_unit_idx').on(t.submissionId, t.unitCode), index('suggestion_forwards_deadline_idx').on(t.state, t.deadline)],
);
