// What a form's answers become outside the form: the words people read, the sheet's columns, and the
// indexed columns the daily ranking aggregates.
import { optionsFor, type FormContext } from './context.ts';
import type { Answers, FieldDefinition, FieldMetric, FieldType, FormDefinition } from './types.ts';

export interface SheetColumn {
  name: string;
  header: string;
  field: FieldDefinition;
}

/** Columns a form contributes to the sheet: non-personal fields whose sheetColumn is not false. */
export function sheetColumns(form: FormDefinition): SheetColumn[] {
  return form.fields
    .filter((f) => !f.personal && f.sheetColumn !== false)
    .map((f) => ({ name: f.name, header: typeof f.sheetColumn === 'string' ? f.sheetColumn : f.label, field: f }));
}

/** An answer as people read it: option, cadre, place, unit and task names instead of values, 是/否 for booleans. */
export function displayValue(f: FieldDefinition, value: unknown, ctx: FormContext = {}): string {
  if (value === undefined || value === null || value === '') return '';
  switch (f.type) {
    case 'multichoice':
      return (Array.isArray(value) ? value : [value]).map((x) => optionLabel(f, x, ctx)).join('、');
    case 'choice':
    case 'cadre':
    case 'place':
    case 'unit':
    case 'task':
      return optionLabel(f, value, ctx);
    case 'boolean':
      return value === true ? '是' : value === false ? '否' : String(value);
    case 'datetime':
      return String(value).replace('T', ' ');
    default:
      return String(value);
  }
}

/** The label of one chosen value; a value no longer listed (a cadre since removed) shows as it was stored. */
function optionLabel(f: FieldDefinition, value: unknown, ctx: FormContext): string {
  // Cadre ids are stored as numbers and listed as strings.
  const key = typeof value === 'number' ? String(value) : value;
  // A hidden option is no longer offered but still names the answers given while it was.
  return (optionsFor(f, ctx).find((o) => o.value === key) ?? f.options?.find((o) => o.value === key))?.label ?? String(value);
}

export interface MetricValues {
  satisfaction: string | null;
  aware: boolean | null;
  participated: boolean | null;
  cadreId: number | null;
  taskId: string | null;
  quantity: number | null;
}

const METRIC_COLUMN: Record<FieldMetric, keyof MetricValues> = {
  satisfaction: 'satisfaction',
  aware: 'aware',
  participated: 'participated',
  cadre: 'cadreId',
  task: 'taskId',
  quantity: 'quantity',
};

/** The type a metric field must have, so the extracted column has the right type. */
export const METRIC_TYPES: Record<FieldMetric, readonly FieldType[]> = {
  satisfaction: ['choice'],
  aware: ['boolean'],
  participated: ['boolean'],
  cadre: ['cadre'],
  task: ['task'],
  quantity: ['integer'],
};

/** The submission columns the ranking aggregates, read from validated answers. */
export function metricValues(form: FormDefinition, answers: Answers): MetricValues {
  const out: MetricValues = { satisfaction: null, aware: null, participated: null, cadreId: null, taskId: null, quantity: null };
  for (const f of form.fields) {
    if (!f.metric) continue;
    const value = answers[f.name];
    if (value === undefined) continue;
    const column = METRIC_COLUMN[f.metric];
    (out as unknown as Record<string, unknown>)[column] = value;
  }
  return out;
}
