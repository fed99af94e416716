// Personal data, in one place: the answers a definition marks personal kept apart from the rest, masked
// for every reader but the office, and text a spreadsheet would run as a formula neutralised.
import type { FormContext } from './context.ts';
import { displayValue } from './projections.ts';
import type { AnswerValue, Answers, FieldDefinition, FormDefinition } from './types.ts';

/** Validated values split by the definition: personal ones are stored apart, never in the payload, sheet or logs. */
export function splitPersonal(form: FormDefinition, values: Record<string, unknown>): { answers: Answers; personal: Answers } {
  const answers: Answers = {};
  const personal: Answers = {};
  for (const f of form.fields) {
    const value = values[f.name];
    if (value === undefined) continue;
    (f.personal ? personal : answers)[f.name] = value as AnswerValue;
  }
  return { answers, personal };
}

/** 张三 → 张**, 欧阳娜娜 → 欧***: the family name stays so a unit can still tell records apart. */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length === 0) return '';
  return chars[0] + '*'.repeat(Math.max(2, chars.length - 1));
}

/** 13812341234 → 138****1234; 0917-3212345 → 0917-***2345. */
export function maskPhone(phone: string): string {
  const s = phone.trim();
  const mobile = /^(\d{3})\d{4}(\d{4})$/.exec(s);
  if (mobile) return `${mobile[1]}****${mobile[2]}`;
  const landline = /^(0\d{2,3}-)(\d+)(\d{4})(-\d+)?$/.exec(s);
  if (landline) return `${landline[1]}${'*'.repeat(landline[2]!.length)}${landline[3]}`;
  return s.length <= 4 ? '*'.repeat(s.length) : `${s.slice(0, 2)}${'*'.repeat(s.length - 4)}${s.slice(-2)}`;
}

/** Addresses and other text: the first few characters, enough to tell the village, then stars. */
export function maskText(text: string): string {
  const chars = [...text.trim()];
  if (chars.length <= 4) return maskName(text);
  return chars.slice(0, 3).join('') + '****';
}

/** A personal value as a non-office reader may see it, by the field's type. */
export function maskPersonal(type: string, value: unknown): string {
  if (value === undefined || value === null || value === '') return '';
  const s = Array.isArray(value) ? value.join('、') : String(value);
  if (type === 'phone') return maskPhone(s);
  // Short text (four characters or fewer) is masked as a name by maskText itself.
  return maskText(s);
}

/** Typed free text, where a resident may put a phone or ID number the definition cannot know about. */
const isFreeText = (f: FieldDefinition) => f.type === 'text' || f.type === 'textarea';

/**
 * An answer as a reader sees it: a personal one masked unless the reader is the office, digit runs in free
 * text likewise, labels for choices. Pages and exports all go through here.
 */
export function shownAnswer(f: FieldDefinition, value: unknown, ctx: FormContext, unmasked: boolean): string {
  if (f.personal && !unmasked) return maskPersonal(f.type, value);
  const shown = displayValue(f, value, ctx);
  return isFreeText(f) && !unmasked ? maskDigits(shown) : shown;
}

/** Stored (non-personal) answers as an API gives them to a reader: free text with its digit runs masked unless the reader is the office. */
export function shownAnswers(form: FormDefinition, answers: Answers, unmasked: boolean): Answers {
  if (unmasked) return answers;
  const out: Answers = { ...answers };
  for (const f of form.fields) {
    const v = out[f.name];
    if (isFreeText(f) && typeof v === 'string') out[f.name] = maskDigits(v);
  }
  return out;
}

/** Seven or more digits, possibly split by spaces or dashes: phone, ID and bank numbers. */
const LONG_DIGITS = /[0-9０-９](?:[\s\-－]?[0-9０-９]){6,}/g;

/** Free text may hold a phone number a resident typed into it: every long digit run becomes stars. */
export function maskDigits(s: string): string {
  return s.replace(LONG_DIGITS, (run) => run.replace(/[0-9０-９]/g, '*'));
}

/**
 * Text a spreadsheet would run as a formula (= + - @, and tab/CR that some programs strip first)
 * gets a leading apostrophe, so it shows as typed.
 */
export function neutraliseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
