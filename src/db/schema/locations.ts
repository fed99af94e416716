// Where a hazard is: the optional WGS-84 point a tipster's, a ledger row's or a fix report's browser gave. Kept in its
// own table, apart from personal data and from the hazard row, so the sheet and exports of hazards never carry it.
import { index, integer, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const LOCATION_KINDS = ['report', 'fix'] as const;
export type LocationKind = (typeof LOCATION_KINDS)[number];

export const hazardLocations = sqliteTable(
  'hazard_locations',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    hazardId: integer('hazard_id').notNull(),
    /** `report`: where the tip or ledger row was made; `fix`: where the unit reported it fixed. */
    kind: text('kind', { enum: LOCATION_KINDS }).notNull().default('report'),
    lat: real('lat').notNull(),
    lng: real('lng').notNull(),
    /** Metres, as the browser estimated (95% radius). */
    accuracy: real('accuracy').notNull(),
    at: integer('at', { mode: 'number' }).notNull(),
  },
  (t) => [index('hazard_locations_hazard_idx').on(t.hazardId, t.kind), index('hazard_locations_lat_idx').on(t.lat, t.lng)],
);
