// Checks of a form definition itself (forms/ content, or a version the office publishes): every
// problem in plain words, so a broken definition is refused before any page or schema is built from it.
import { isValidDay } from '../lib/time.ts';
import { METRIC_TYPES } from './projections.ts';

/** Date bounds that resolve at answer time (src/forms/schema.ts dateBound). */
const SYMBOLIC_BOUNDS = ['today', 'campaign-start', 'campaign-end'];
import type { FieldDefinition, FieldOption, FieldType, FormDefinition } from './types.ts';

export const FIELD_TYPES: readonly FieldType[] = [
  'text', 'textarea', 'choice', 'multichoice', 'boolean', 'date', 'datetime', 'integer', 'phone', 'photo', 'cadre', 'place', 'unit', 'task',
];

const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const FIELD_NAME = /^[a-z][a-zA-Z0-9]*$/;
const OPTION_TYPES: readonly FieldType[] = ['choice', 'multichoice'];

/** Problems with a form definition, in plain words; empty when it is valid. */
export function definitionProblems(form: FormDefinition): string[] {
  const problems: string[] = [];
  const at = (f: FieldDefinition | undefined, msg: string) => problems.push(f ? `${form.id}.${f.name}: ${msg}` : `${form.id}: ${msg}`);
  if (typeof form.id !== 'string' || !KEBAB.test(form.id)) at(undefined, 'id must be kebab-case');
  if (!Number.isInteger(form.version) || form.version < 1) at(undefined, 'version must be a positive integer');
  if (!form.title?.trim()) at(undefined, 'title is empty');
  if (form.audience !== 'public' && form.audience !== 'unit') at(undefined, `unknown audience ${String(form.audience)}`);
  if (!Array.isArray(form.fields) || form.fields.length === 0) {
    at(undefined, 'has no fields');
    return problems;
  }
  const names = new Set<string>();
  const metrics = new Set<string>();
  for (const f of form.fields) {
    if (typeof f.name !== 'string' || !FIELD_NAME.test(f.name)) at(f, 'field name must be camelCase letters and digits (no leading _)');
    if (names.has(f.name)) at(f, 'duplicate field name');
    names.add(f.name);
    if (!FIELD_TYPES.includes(f.type)) {
      at(f, `unknown type ${String(f.type)}`);
      continue;
    }
    if (!f.label?.trim()) at(f, 'label is empty');
    if (OPTION_TYPES.includes(f.type)) {
      if (!f.options || f.options.length === 0) at(f, 'option list is empty');
      else {
        const values = f.options.map((o: FieldOption) => o.value);
        if (new Set(values).size !== values.length) at(f, 'duplicate option value');
        if (f.options.some((o: FieldOption) => !o.value || !o.label)) at(f, 'option without value or label');
      }
    } else if (f.options) at(f, `options are only for choice and multichoice, not ${f.type}`);
    if (f.min !== undefined && f.max !== undefined && !SYMBOLIC_BOUNDS.includes(String(f.min)) && !SYMBOLIC_BOUNDS.includes(String(f.max)) && typeof f.min === typeof f.max && f.min > f.max) at(f, 'min is greater than max');
    if (f.type === 'date' || f.type === 'datetime') {
      for (const b of [f.min, f.max]) if (b !== undefined && !SYMBOLIC_BOUNDS.includes(String(b)) && (typeof b !== 'string' || !isValidDay(b.slice(0, 10)))) at(f, `date bound ${String(b)} is not YYYY-MM-DD, 'today', 'campaign-start' or 'campaign-end'`);
    } else if ((f.min !== undefined && typeof f.min !== 'number') || (f.max !== undefined && typeof f.max !== 'number')) {
      at(f, 'min/max must be numbers');
    }
    if (f.pattern !== undefined) {
      try {
        new RegExp(f.pattern, 'u');
      } catch {
        at(f, 'pattern is not a valid regular expression');
      }
    }
    if (f.metric) {
      const allowed = (METRIC_TYPES as Record<string, readonly FieldType[] | undefined>)[f.metric];
      if (!allowed) at(f, `unknown metric ${String(f.metric)}`);
      else if (!allowed.includes(f.type)) at(f, `metric ${f.metric} needs a field of type ${allowed.join('/')}`);
      if (metrics.has(f.metric)) at(f, `metric ${f.metric} appears twice`);
      metrics.add(f.metric);
      if (f.personal) at(f, 'a personal field cannot feed a metric');
    }
    if (f.showWhen) {
      const target = form.fields.find((g) => g.name === f.showWhen!.field);
      if (!target) at(f, `showWhen points at missing field ${f.showWhen.field}`);
      else if (target === f) at(f, 'showWhen points at itself');
      if (!f.showWhen.equals || f.showWhen.equals.length === 0) at(f, 'showWhen.equals is empty');
    }
  }
  return problems;
}

export class FormDefinitionError extends Error {
  override name = 'FormDefinitionError';
}

/** Throws FormDefinitionError listing every problem of an invalid definition; returns the form otherwise. */
export function validateDefinition<F extends FormDefinition>(form: F): F {
  const problems = definitionProblems(form);
  if (problems.length > 0) throw new FormDefinitionError(`INVALID_FORM_DEFINITION ${problems.join('; ')}`);
  return form;
}
