// The live demo `npm start` seeds into an empty database: the plan's campaign moved so that it began three
// days ago, a little believable activity made through the real services, and the rankings of the days
// that have ended — so every page shows something real at first look.
import { and, asc, eq, inArray, isNotNull } from 'drizzle-orm';
import type { Deps } from '../deps.ts';
import { cadres, units } from '../db/schema.ts';
import type { FormDefinition, Organisation } from '../forms/types.ts';
import { seedOrganisation } from './seed.ts';
import { validateAnswers } from '../forms/schema.ts';
import type { FormContext } from '../forms/context.ts';
import { storeSubmission } from '../submissions/store.ts';
import { transition } from '../hazards/service.ts';
import { runHazardSupervision } from '../hazards/overdue.ts';
import { replyToSuggestion } from '../suggestions/service.ts';
import { computeSnapshot, rulesOf } from '../rankings/snapshot.ts';
import { ensureCampaign } from '../campaign/store.ts';
import { shiftSettings, templateSettings, type CampaignSettings } from '../campaign/settings.ts';
import { addDays, dayStartMs, shanghaiDay } from '../lib/time.ts';
import { hazards } from '../db/schema.ts';
import { ensureForms, TEMPLATE_FORMS } from '../forms/store.ts';

export type SeedMode = 'demo' | 'plan';

/** The campaign a fresh start runs: the plan's own dates, or (demo) the same 33 days begun three days ago. */
export function seedSettings(mode: SeedMode, now: Date): CampaignSettings {
  const plan = templateSettings();
  return mode === 'plan' ? plan : shiftSettings(plan, addDays(shanghaiDay(now), -3));
}

const formOf = (id: string): FormDefinition => {
  const f = TEMPLATE_FORMS.find((x) => x.id === id);
  if (!f) throw new Error(`forms/ has no form ${id}`);
  return f;
};

/** Stores one answer as a resident or a unit would send it, at `at` (validated by the real engine). */
async function submit(deps: Deps, at: number, formId: string, input: Record<string, unknown>, unitCode: string | null, ctx: FormContext = {}) {
  const form = formOf(formId);
  const clocked: Deps = { ...deps, now: () => new Date(at) };
  const checked = validateAnswers(form, input, { ...ctx, today: shanghaiDay(at) });
  if (!checked.ok) throw new Error(`demo ${formId}: ${checked.errors.map((e) => `${e.field} ${e.message}`).join('; ')}`);
  return storeSubmission(clocked, { form, answers: checked.answers, personal: checked.personal, unitCode, source: unitCode ? 'unit' : 'public' });
}

const SATISFACTION = ['satisfied', 'satisfied', 'basically_satisfied', 'satisfied', 'dissatisfied', 'basically_satisfied'];
const HOUSEHOLDS = ['王建国', '李秀英', '张桂兰', '刘德明', '陈淑珍', '杨志强', '赵玉梅', '黄国庆'];

/**
 * Seeds the campaign and, for the demo, its first days' activity. The organisation must be seeded first.
 * Returns what it made, for the start-up lines.
 */
export async function seedDemo(deps: Deps, mode: SeedMode): Promise<{ campaignId: number; startDate: string; submissions: number; rankedDays: number }> {
  const now = deps.now();
  const settings = seedSettings(mode, now);
  const campaignId = await ensureCampaign(deps.db, settings, now.getTime(), 'seed');
  // The forms of forms/ as version 1 of each, the start of the history the office edits at /admin/forms.
  await ensureForms(deps.db, now.getTime(), 'seed');
  if (mode === 'plan') return { campaignId, startDate: settings.startDate, submissions: 0, rankedDays: 0 };

  const today = shanghaiDay(now);
  const days = [0, 1, 2, 3].map((i) => addDays(settings.startDate, i)).filter((d) => d <= today);
  const at = (day: string, hour: number) => Math.min(dayStartMs(day) + hour * 3_600_000, now.getTime() - 60_000);
  const campaign = { startDate: settings.startDate, endDate: settings.endDate, slogans: settings.slogans };
  let made = 0;

  // Household visits by the towns' cadres, each in the village they are assigned to (包抓), a few a day.
  const visitors = await deps.db
    .select({ id: cadres.id, unit: cadres.unitCode, place: cadres.assignedCode, kind: units.kind })
    .from(cadres)
    .innerJoin(units, eq(units.code, cadres.unitCode))
    .where(and(inArray(units.kind, ['town', 'subdistrict', 'department']), isNotNull(cadres.assignedCode), eq(cadres.active, true)))
    .orderBy(asc(cadres.id));
  const places = await deps.db.select({ code: units.code, name: units.name }).from(units);
  for (const [ci, cadre] of visitors.slice(0, 12).entries()) {
    const perDay = 3 - (ci % 3); // some cadres are ahead of others, so the ranking has something to rank
    for (const [di, day] of days.entries()) {
      for (let k = 0; k < perDay; k++) {
        const n = ci * 7 + di * 3 + k;
        await submit(
          deps,
          at(day, 9 + k),
          'household-visit',
          {
            cadre: String(cadre.id), visitDate: day, place: cadre.place, householdHead: HOUSEHOLDS[n % HOUSEHOLDS.length],
            address: `${(n % 9) + 1}组${(n % 30) + 1}号`, almanac: 'yes', aware: n % 4 === 0 ? 'no' : 'yes', participated: n % 3 === 0 ? 'yes' : 'no',
            satisfaction: SATISFACTION[n % SATISFACTION.length], opinions: n % 5 === 0 ? '希望村口增设路灯' : '',
          },
          cadre.unit,
          { cadres: [{ id: cadre.id, name: '' }], places, campaign },
        );
        made++;
      }
    }
  }

  // Residents' 两率一度 answers by QR code, attributed to villages and communities.
  const villages = places.filter((p) => /-(v|c)\d+$/.test(p.code)).slice(0, 6);
  for (const [vi, v] of villages.entries()) {
    for (const [di, day] of days.entries()) {
      const n = vi + di;
      await submit(deps, at(day, 14 + (n % 5)), 'mass-feedback', {
        satisfaction: SATISFACTION[n % SATISFACTION.length], aware: n % 3 === 0 ? 'no' : 'yes', participated: n % 2 === 0 ? 'yes' : 'no',
      }, v.code);
      made++;
    }
  }

  // Hazard tips in several states: one waiting for the office, one being fixed, one overdue, one closed out.
  const office = { codeId: 0, role: 'admin' as const, unitCode: 'office' };
  const towns = (await deps.db.select({ code: units.code }).from(units).where(inArray(units.kind, ['town', 'subdistrict'])).orderBy(asc(units.code))).map((u) => u.code);
  const lead = (i: number) => ({ codeId: 0, role: 'unit' as const, unitCode: towns[i % towns.length]! });
  const tip = async (day: string, hour: number, category: string, place: string, description: string, u: string | null) => {
    const stored = await submit(deps, at(day, hour), 'hazard-tip', { category, place, description, noticedOn: day }, u);
    made++;
    const [row] = await deps.db.select({ id: hazards.id }).from(hazards).where(eq(hazards.submissionId, stored.id));
    return row!.id;
  };
  const move = (hazardId: number, when: number, actor: Parameters<typeof transition>[1]['actor'], action: string, input = {}) =>
    transition({ ...deps, now: () => new Date(when) }, { hazardId, actor, action, input });
  const d0 = days[0]!;
  const dLast = days[days.length - 1]!;

  await tip(dLast, 8, 'fire', '老街农贸市场东侧', '消防通道被三轮车和杂物堵住，晚上更严重。', villages[0]?.code ?? null);

  const fixing = await tip(d0, 10, 'traffic', '陈仓路与渭河路口', '红绿灯坏了两天，上下学时段车辆抢行。', null);
  await move(fixing, at(d0, 11), office, 'assign', { leadUnit: towns[0], deadline: addDays(d0, 10) });
  await move(fixing, at(d0, 15), lead(0), 'accept', { note: '已联系交警大队' });

  // Assigned on the first day with a deadline that has already passed: the supervision pass marks it overdue.
  const late = await tip(d0, 9, 'rental-housing', '幸福小区7号楼出租屋', '群租房，人员进出频繁，楼道堆放电动车充电。', null);
  await move(late, at(d0, 10), office, 'assign', { leadUnit: towns[1 % towns.length], deadline: d0 });
  await move(late, at(d0, 16), lead(1), 'accept', {});

  const done = await tip(d0, 8, 'urban-village', '滨河村北巷', '夜间有人聚集饮酒喧哗，垃圾乱扔。', villages[1]?.code ?? null);
  await move(done, at(d0, 9), office, 'assign', { leadUnit: towns[2 % towns.length], deadline: addDays(d0, 5) });
  await move(done, at(d0, 12), lead(2), 'accept', {});
  const dFix = days[1] ?? d0;
  await move(done, at(dFix, 10), lead(2), 'report_fixed', { note: '已安排夜间巡逻，增设垃圾桶两个' });
  await move(done, at(dFix, 16), office, 'close', { note: '现场核查属实，予以销号' });
  await runHazardSupervision(deps, now);

  // A deputy's suggestion, answered by the office.
  const suggestion = await submit(deps, at(d0, 15), 'deputy-suggestion', {
    identity: 'npc-deputy', name: '演示代表', delegation: '金台区代表团（演示）', subject: '城中村夜间照明', phone: '13800000000',
    suggestion: '建议在城中村主要巷道加装路灯，并纳入平安建设考核。',
  }, null);
  made++;
  await replyToSuggestion({ ...deps, now: () => new Date(at(dLast, 10)) }, {
    submissionId: suggestion.id, principal: office, status: 'answered', note: '已交区住建局、各镇街统筹安排，首批路灯月底前安装。',
  });

  // The rankings of every day that has ended, as the 00:05 job would have taken them.
  const ended = days.filter((d) => d < today);
  const rules = rulesOf({ id: campaignId, version: 1, settings });
  for (const day of ended) await computeSnapshot({ ...deps, now: () => new Date(Math.min(dayStartMs(addDays(day, 1)) + 5 * 60_000, now.getTime())) }, day, rules);
  return { campaignId, startDate: settings.startDate, submissions: made, rankedDays: ended.length };
}

/** `SEED` as `npm start` reads it: unset is the live demo, `plan` the plan's exact dates, `none` nothing. */
export function seedModeOf(env: string | undefined): SeedMode | 'none' {
  const v = env?.trim().toLowerCase();
  if (v === 'none' || v === 'plan') return v;
  return 'demo';
}

/** What `npm start` does to an empty database: the organisation of forms/, then the campaign (and demo activity). */
export async function seedEmptyDatabase(deps: Deps, mode: SeedMode, org: Organisation) {
  const seeded = await seedOrganisation(deps.db, org);
  const demo = await seedDemo(deps, mode);
  return { ...seeded, ...demo };
}
