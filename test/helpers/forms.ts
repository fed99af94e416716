// Definitions and a context for testing the forms engine without a database: a form of given fields, one field
// named `x`, and the lists a unit's form chooses from.
import type { FormContext } from '../../src/forms/context.ts';
import type { FieldDefinition, FormDefinition } from '../../src/forms/types.ts';

/** A unit form of the given fields (anything else of the definition may be overridden, checked or not). */
export const testForm = (fields: readonly unknown[], extra: Record<string, unknown> = {}): FormDefinition =>
  ({ id: 'test-form', version: 1, title: '测试', intro: '测试表单', audience: 'unit', fields, ...extra }) as FormDefinition;

/** A field named `x` labelled 某项. */
export const testField = (f: Partial<FieldDefinition> & Record<string, unknown>): FieldDefinition => ({ name: 'x', label: '某项', type: 'text', ...f }) as FieldDefinition;

/** A cadre, a place, a unit and a task to choose from, on 4 Nov 2014. */
export const FORM_CONTEXT: FormContext = {
  today: '2014-11-04',
  cadres: [{ id: 7, name: '张三' }],
  places: [{ code: 'chencang-v1', name: '陈仓示范村一' }],
  units: [{ code: 'police', name: '金台公安分局' }],
  tasks: [{ id: 'police-unit-slogans', title: '标语' }],
};
