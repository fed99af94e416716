// A form as an XLSForm-style workbook (sheets `survey`, `choices`, `settings`), the way KoboToolbox and ODK
// districts write forms in Excel or WPS, and back. XLSForm's own types where they exist (select_one list,
// text with appearance multiline, image, dateTime); the engine's own (boolean, phone, cadre, place, unit,
// task) by name; what XLSForm has no column for (bounds, metric, personal, conditions) as JSON in `pingan`.
import { writeXlsx } from '../lib/xlsx.ts';
import { readXlsx, type ReadSheet } from '../lib/xlsx-read.ts';
import type { FieldDefinition, FieldOption, FormDefinition } from './types.ts';

const SURVEY_HEADER = ['type', 'name', 'label', 'hint', 'required', 'appearance', 'pingan'];
const CHOICES_HEADER = ['list_name', 'name', 'label', 'hidden'];
const SETTINGS_HEADER = ['form_id', 'form_title', 'version', 'audience', 'intro', 'submit_label', 'thanks'];
/** Keys with a column of their own; the rest go to `pingan`. */
const COLUMN_KEYS = new Set(['name', 'type', 'label', 'help', 'required', 'options']);
/** XLSForm rows that carry no question here. */
const SKIPPED_TYPES = new Set(['begin group', 'end group', 'begin repeat', 'end repeat', 'note', 'calculate', 'start', 'end', 'today', 'deviceid', 'username']);

function xlsType(f: FieldDefinition): { type: string; appearance: string } {
  switch (f.type) {
    case 'textarea':
      return { type: 'text', appearance: 'multiline' };
    case 'choice':
      return { type: `select_one ${f.name}`, appearance: '' };
    case 'multichoice':
      return { type: `select_multiple ${f.name}`, appearance: '' };
    case 'datetime':
      return { type: 'dateTime', appearance: '' };
    case 'photo':
      return { type: 'image', appearance: '' };
    default:
      return { type: f.type, appearance: '' };
  }
}

export async function definitionToXlsx(form: FormDefinition): Promise<Uint8Array> {
  const survey: string[][] = [SURVEY_HEADER];
  const choices: string[][] = [CHOICES_HEADER];
  for (const f of form.fields) {
    const { type, appearance } = xlsType(f);
    const extra = Object.fromEntries(Object.entries(f).filter(([k]) => !COLUMN_KEYS.has(k)));
    survey.push([type, f.name, f.label, f.help ?? '', f.required ? 'yes' : '', appearance, Object.keys(extra).length ? JSON.stringify(extra) : '']);
    for (const o of f.options ?? []) choices.push([f.name, o.value, o.label, o.hidden ? 'yes' : '']);
  }
  const settings = [SETTINGS_HEADER, [form.id, form.title, String(form.version), form.audience, form.intro ?? '', form.submitLabel ?? '', form.thanks ?? '']];
  return writeXlsx(
    [
      { name: 'survey', rows: survey, header: true, widths: [24, 18, 40, 30, 9, 12, 40] },
      { name: 'choices', rows: choices, header: true, widths: [18, 22, 30, 8] },
      { name: 'settings', rows: settings, header: true, widths: [20, 30, 8, 10, 40, 14, 30] },
    ],
    { creator: 'pingan' },
  );
}

const yes = (s: string | undefined) => /^(yes|true|1|是|y)$/i.test((s ?? '').trim());

/** A sheet's rows as objects keyed by the header row (the first column whose header starts with `label`, e.g. `label::Chinese`). */
function records(sheet: ReadSheet | undefined): Record<string, string>[] {
  if (!sheet || sheet.rows.length === 0) return [];
  const header = (sheet.rows[0] ?? []).map((h) => h.trim());
  const key = (h: string) => (/^(label|hint)(::|$)/.test(h) ? h.split('::')[0]! : h);
  const out: Record<string, string>[] = [];
  for (const row of sheet.rows.slice(1)) {
    if (!row.some((c) => c.trim() !== '')) continue;
    const rec: Record<string, string> = {};
    header.forEach((h, i) => {
      const k = key(h);
      if (k && rec[k] === undefined) rec[k] = (row[i] ?? '').trim();
    });
    out.push(rec);
  }
  return out;
}

/**
 * The definition a workbook describes (not yet checked: the caller validates it like any edit). `id`,
 * `version` and `audience` come from the form it is imported into when the workbook has no settings.
 */
export async function xlsxToDefinition(bytes: Uint8Array): Promise<Record<string, unknown>> {
  const sheets = await readXlsx(bytes);
  const byName = (n: string) => sheets.find((s) => s.name.trim().toLowerCase() === n);
  const settings = records(byName('settings'))[0] ?? {};
  const lists = new Map<string, FieldOption[]>();
  for (const c of records(byName('choices'))) {
    const list = c.list_name ?? '';
    if (!lists.has(list)) lists.set(list, []);
    const option: FieldOption = yes(c.hidden) ? { value: c.name ?? '', label: c.label ?? '', hidden: true } : { value: c.name ?? '', label: c.label ?? '' };
    lists.get(list)!.push(option);
  }
  const fields: Record<string, unknown>[] = [];
  for (const r of records(byName('survey'))) {
    const raw = (r.type ?? '').replace(/\s+/g, ' ').trim();
    if (!raw || SKIPPED_TYPES.has(raw)) continue;
    const [head, list] = raw.split(' ');
    let extra: Record<string, unknown> = {};
    if (r.pingan) {
      try {
        const parsed = JSON.parse(r.pingan) as unknown;
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) extra = parsed as Record<string, unknown>;
      } catch {
        // A hand-edited pingan cell that is not JSON is dropped; the checks then speak about what is missing.
      }
    }
    const type =
      head === 'select_one' ? 'choice'
      : head === 'select_multiple' ? 'multichoice'
      : head === 'text' && /multiline/.test(r.appearance ?? '') ? 'textarea'
      : head === 'dateTime' ? 'datetime'
      : head === 'image' ? 'photo'
      : head === 'decimal' ? 'integer'
      : head;
    const field: Record<string, unknown> = { name: r.name ?? '', type, label: r.label ?? '', ...extra };
    if (r.hint) field.help = r.hint;
    if (yes(r.required)) field.required = true;
    if (type === 'choice' || type === 'multichoice') field.options = lists.get(list ?? '') ?? [];
    fields.push(field);
  }
  const def: Record<string, unknown> = { fields };
  if (settings.form_id) def.id = settings.form_id;
  if (settings.version && /^\d+$/.test(settings.version)) def.version = Number(settings.version);
  if (settings.audience) def.audience = settings.audience;
  def.title = settings.form_title ?? '';
  def.intro = settings.intro ?? '';
  if (settings.submit_label) def.submitLabel = settings.submit_label;
  if (settings.thanks) def.thanks = settings.thanks;
  return def;
}
