// A hazard's co-units as one column of its own row (in the order they were named), so a read of hazards needs no
// second read for them.
import { sql } from 'drizzle-orm';
import { hazardCoUnits, hazards } from '../db/schema.ts';

// The hazard is named by its table: a one-table select leaves its columns unqualified, which inside the subquery
// would mean the co-unit table's own.
export const coUnitList = sql<string | null>`(SELECT group_concat(c.unit_code, ',') FROM (SELECT u."unit_code" AS unit_code FROM ${hazardCoUnits} u WHERE u."hazard_id" = ${hazards}."id" ORDER BY u.rowid) c)`;

export const splitCoUnits = (co: string | null): string[] => (co ? co.split(',') : []);
