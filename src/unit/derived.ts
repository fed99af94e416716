// Values the portal adds to a unit's answers before they are stored: the R5 flag of a patrol team.
import { eq } from 'drizzle-orm';
import type { Db } from '../db/index.ts';
import { units } from '../db/schema.ts';
import type { Answers } from '../forms/types.ts';
import type { FormDefinition } from '../forms/types.ts';
import { patrolFlag, patrolRule } from './patrol.ts';
import { currentCampaign } from '../campaign/store.ts';

export const PATROL_FORM_ID = 'patrol-team';

/**
 * A patrol team outside 7–10 (under 1,000 people) or 10–15 (1,000 or more) carries `sizeFlag`
 * ('small' | 'large') and the rule it was checked against in its payload, so lists, exports and the
 * sheet show it without recomputing.
 */
export async function withDerived(db: Db, form: FormDefinition, answers: Answers): Promise<Answers> {
  if (form.id !== PATROL_FORM_ID) return answers;
  const { sizeFlag: _flag, sizeRule: _rule, ...rest } = answers;
  const place = typeof rest.place === 'string' ? await db.query.units.findFirst({ where: eq(units.code, rest.place) }) : undefined;
  const members = typeof rest.members === 'number' ? rest.members : Number(rest.members);
  const bands = (await currentCampaign(db)).settings.patrolSizes;
  const rule = patrolRule(place?.population, bands);
  const flag = patrolFlag(members, place?.population, bands);
  return { ...rest, sizeRule: `${rule.min}-${rule.max}`, ...(flag ? { sizeFlag: flag.kind } : {}) };
}

/** The flag as people read it, or '' for a team that fits the rule. */
export function patrolFlagText(answers: Answers): string {
  const flag = answers.sizeFlag;
  if (flag !== 'small' && flag !== 'large') return '';
  const rule = typeof answers.sizeRule === 'string' ? answers.sizeRule.replace('-', '–') : '';
  return `${flag === 'small' ? '人数不足' : '人数超出'}（应为 ${rule} 人）`;
}
