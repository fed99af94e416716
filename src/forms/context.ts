// What a form's context-dependent fields ('cadre', 'place', 'unit', 'task') choose from, and the one
// mapping from a field to its options that the schema, the page and the display all read.
import type { FieldDefinition, FieldOption } from './types.ts';

/** The lists context-dependent fields take their options from, and how strictly answers are read. */
export interface FormContext {
  /** A cadre's village (包抓), when assigned: the entry page offers it once the cadre is picked. */
  cadres?: readonly { id: number; name: string; assignedCode?: string | null }[];
  places?: readonly { code: string; name: string }[];
  units?: readonly { code: string; name: string }[];
  tasks?: readonly { id: string; title: string }[];
  /** What to do with keys that are not fields of the form (see src/forms/schema.ts). Default 'ignore'. */
  unknown?: 'ignore' | 'reject';
  /** The current campaign: what the bounds 'campaign-start' / 'campaign-end' and slogan options mean. */
  campaign?: { readonly startDate: string; readonly endDate: string; readonly slogans: readonly string[] };
  /** Today (Asia/Shanghai, YYYY-MM-DD): what a date bound of 'today' means; without it such a bound is not checked. */
  today?: string;
}

/** Whether a form has a field that reads the current campaign (its window as a date bound, its slogans). */
export function readsCampaign(fields: readonly FieldDefinition[]): boolean {
  const bound = (b: unknown) => b === 'campaign-start' || b === 'campaign-end';
  return fields.some((f) => bound(f.min) || bound(f.max) || f.optionsFrom === 'slogans');
}

/** The options of a choice, multichoice, cadre, place, unit or task field (values as strings: cadre ids too); none for other types. */
export function optionsFor(f: FieldDefinition, ctx: FormContext): FieldOption[] {
  switch (f.type) {
    case 'cadre':
      return (ctx.cadres ?? []).map((c) => ({ value: String(c.id), label: c.name }));
    case 'place':
      return (ctx.places ?? []).map((p) => ({ value: p.code, label: p.name }));
    case 'unit':
      return (ctx.units ?? []).map((u) => ({ value: u.code, label: u.name }));
    case 'task':
      return (ctx.tasks ?? []).map((t) => ({ value: t.id, label: t.title }));
    default:
      if (f.optionsFrom === 'slogans' && ctx.campaign) return ctx.campaign.slogans.map((s, i) => ({ value: `s${i + 1}`, label: s }));
      return (f.options ?? []).filter((o) => !o.hidden).map((o) => ({ value: o.value, label: o.label }));
  }
}
