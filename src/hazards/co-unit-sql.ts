// A hazard's co-units as one column of its own row (in the order they were named), so a read of hazards needs no
// second read for them.
import { sql } from 'drizzle-orm';
import { hazardCoUnits, hazards } from '../db/schema.ts';

export const coUnitList = sql<string | null>`(SELECT group_concat(c.unit_code, ',') FROM (SELECT ${hazardCoUnits.unitCode} AS unit_code FROM ${hazardCoUnits} WHERE ${hazardCoUnits.hazardId} = ${hazards.id} ORDER BY ${hazardCoUnits.hazardId}, rowid) c)`;

export const splitCoUnits = (co: string | null): string[] => (co ? co.split(',') : []);
