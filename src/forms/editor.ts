// The editor page's flat field names (`fields[2].label`, `fields[2].options`, …) to and from a definition.
// What the page does not show (bounds, patterns, metrics, personal flags, conditions) is carried over from
// the version being edited, matched by the question's original name.
import type { FieldDefinition, FieldOption, FormDefinition } from './types.ts';

export type EditorValues = Record<string, string>;

/** One option a line: `value|label`; a line starting with `-` is a hidden option. */
export function optionsToText(options: readonly FieldOption[] | undefined): string {
  return (options ?? []).map((o) => `${o.hidden ? '-' : ''}${o.value}|${o.label}`).join('\n');
}

export function textToOptions(text: string): FieldOption[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const hidden = l.startsWith('-');
      const line = hidden ? l.slice(1).trim() : l;
      const bar = line.indexOf('|');
      const value = (bar >= 0 ? line.slice(0, bar) : line).trim();
      const label = (bar >= 0 ? line.slice(bar + 1) : line).trim();
      return hidden ? { value, label, hidden: true } : { value, label };
    });
}

export function definitionToValues(form: FormDefinition): EditorValues {
  const v: EditorValues = { title: form.title, intro: form.intro ?? '', submitLabel: form.submitLabel ?? '', thanks: form.thanks ?? '' };
  form.fields.forEach((f, i) => {
    Object.assign(v, {
      [`fields[${i}].orig`]: f.name,
      [`fields[${i}].name`]: f.name,
      [`fields[${i}].type`]: f.type,
      [`fields[${i}].label`]: f.label,
      [`fields[${i}].help`]: f.help ?? '',
      [`fields[${i}].order`]: String(i + 1),
      [`fields[${i}].options`]: optionsToText(f.options),
    });
    if (f.required) v[`fields[${i}].required`] = 'on';
  });
  return v;
}

/** How many question rows the values hold (the blank "new question" rows included). */
export function rowCount(v: EditorValues): number {
  let n = 0;
  for (const k of Object.keys(v)) {
    const m = /^fields\[(\d+)\]\./.exec(k);
    if (m) n = Math.max(n, Number(m[1]) + 1);
  }
  return n;
}

/**
 * The definition the page's values describe, and `back`, which maps an error's `fields[i]` (index in the new
 * definition) to the row of the page it came from.
 */
export function valuesToDefinition(current: FormDefinition, v: EditorValues): { definition: FormDefinition; back: (field: string) => string } {
  const rows: { row: number; order: number; field: FieldDefinition }[] = [];
  for (let i = 0; i < Math.min(rowCount(v), 200); i++) {
    const get = (k: string) => (v[`fields[${i}].${k}`] ?? '').trim();
    if (get('remove')) continue;
    const orig = current.fields.find((f) => f.name === get('orig'));
    if (!orig && !get('name') && !get('label')) continue; // a blank new-question row
    const type = (get('type') || orig?.type || 'text') as FieldDefinition['type'];
    const base: Record<string, unknown> = { ...(orig ?? {}) };
    base.name = orig ? orig.name : get('name');
    base.type = type;
    base.label = get('label');
    if (get('help')) base.help = get('help');
    else delete base.help;
    if (get('required')) base.required = true;
    else delete base.required;
    if (type === 'choice' || type === 'multichoice') {
      // An option list is kept for a 'slogans' field (its options follow the campaign) unless one was typed.
      const typed = textToOptions(v[`fields[${i}].options`] ?? '');
      base.options = typed.length > 0 || !orig?.options ? typed : orig.options;
    } else delete base.options;
    const order = Number(get('order'));
    rows.push({ row: i, order: Number.isFinite(order) && get('order') !== '' ? order : 1e6 + i, field: base as unknown as FieldDefinition });
  }
  rows.sort((a, b) => a.order - b.order || a.row - b.row);
  const definition: FormDefinition = {
    ...current,
    title: (v.title ?? '').trim(),
    intro: (v.intro ?? '').trim(),
    ...(v.submitLabel?.trim() ? { submitLabel: v.submitLabel.trim() } : { submitLabel: undefined }),
    ...(v.thanks?.trim() ? { thanks: v.thanks.trim() } : { thanks: undefined }),
    fields: rows.map((r) => r.field),
  };
  const clean = JSON.parse(JSON.stringify(definition)) as FormDefinition;
  const back = (field: string) => field.replace(/^fields\[(\d+)\]/, (_, i: string) => `fields[${rows[Number(i)]?.row ?? i}]`);
  return { definition: clean, back };
}
