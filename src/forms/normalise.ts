// Raw answers as they arrive (urlencoded and multipart strings, JSON values) made regular before the
// schema types them: full-width digits, control characters, 是/否, phone formats; and which fields the input shows.
import type { FieldDefinition, FormDefinition } from './types.ts';
import { stripInvisible } from '../lib/text.ts';

const FULL_WIDTH_DIGITS = /[０-９]/g;
const halfWidth = (s: string) => s.replace(FULL_WIDTH_DIGITS, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));

function oneString(raw: unknown): unknown {
  if (Array.isArray(raw)) raw = raw.find((x) => x !== undefined && x !== '');
  if (typeof raw === 'number' && Number.isFinite(raw)) return String(raw);
  if (typeof raw !== 'string') return raw;
  // Control characters break sheets and logs; format characters (zero-width, bidi overrides) hide or reverse
  // text, and a required answer of nothing but them is empty.
  const s = stripInvisible(raw).trim();
  return s === '' ? undefined : s;
}

// A Map, not an object literal: an answer such as "constructor" must not find Object.prototype's members.
const BOOLEAN_TOKENS: ReadonlyMap<string, boolean> = new Map([
  ['yes', true],
  ['true', true],
  ['1', true],
  ['是', true],
  ['no', false],
  ['false', false],
  ['0', false],
  ['否', false],
]);

function normaliseBoolean(raw: unknown): unknown {
  if (typeof raw === 'boolean') return raw;
  if (raw === 1 || raw === 0) return raw === 1;
  const s = oneString(raw);
  if (typeof s !== 'string') return s;
  const b = BOOLEAN_TOKENS.get(s.toLowerCase());
  return b === undefined ? s : b;
}

function normaliseInteger(raw: unknown): unknown {
  if (typeof raw === 'number') return raw;
  const s = oneString(raw);
  if (typeof s !== 'string') return s;
  const t = halfWidth(s).replace(/[,，\s]/g, '');
  return /^[+-]?\d{1,15}$/.test(t) ? Number(t) : s;
}

function normaliseList(raw: unknown): unknown {
  if (raw === undefined || raw === null) return undefined;
  const list = Array.isArray(raw) ? raw : [raw];
  const out: unknown[] = [];
  for (const item of list) {
    const s = oneString(item);
    if (s === undefined) continue;
    if (!out.includes(s)) out.push(s);
  }
  return out.length === 0 ? undefined : out;
}

function normaliseDateTime(raw: unknown): unknown {
  const s = oneString(raw);
  if (typeof s !== 'string') return s;
  // Accept "2014-11-04 09:30" and seconds; store the datetime-local form "2014-11-04T09:30".
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?$/.exec(s);
  return m ? `${m[1]}T${m[2]}` : s;
}

const MOBILE = /^1[3-9]\d{9}$/;
const LANDLINE = /^0\d{2,3}-?[2-9]\d{6,7}(?:-\d{1,6})?$/;

/** Canonical phone: mobile as 11 digits, landline as 0AAA-NNNNNNN[-EXT]; undefined when not a phone number. */
export function normalisePhone(input: string): string | undefined {
  let s = halfWidth(input).replace(/[\s()（）]/g, '').replace(/[—–－]/g, '-');
  if (/^(?:\+?86)-?1\d{10}$/.test(s)) s = s.replace(/^\+?86-?/, '');
  if (MOBILE.test(s)) return s;
  if (LANDLINE.test(s)) {
    if (s.includes('-')) return s;
    // Without a dash, 3-digit area codes are 010 and 02X; the rest have 4 digits.
    const areaLength = /^0(?:10|2\d)/.test(s) ? 3 : 4;
    return `${s.slice(0, areaLength)}-${s.slice(areaLength)}`;
  }
  return undefined;
}

/** How one field's raw value is made regular: blank becomes undefined, the rest keeps what the schema then checks. */
export function normaliser(f: FieldDefinition): (raw: unknown) => unknown {
  switch (f.type) {
    case 'boolean':
      return normaliseBoolean;
    case 'integer':
      return normaliseInteger;
    case 'cadre':
      return normaliseInteger;
    case 'multichoice':
      return normaliseList;
    case 'datetime':
      return normaliseDateTime;
    default:
      return oneString;
  }
}

/** The value a showWhen condition compares with: strings as typed, booleans as 'yes'/'no'. */
function conditionTokens(f: FieldDefinition | undefined, raw: unknown): string[] {
  if (!f) return [];
  if (f.type === 'boolean') {
    const b = normaliseBoolean(raw);
    return b === true ? ['yes', 'true'] : b === false ? ['no', 'false'] : [];
  }
  const list = normaliseList(raw);
  return Array.isArray(list) ? list.map(String) : [];
}

/** Names of the fields shown for this input (showWhen conditions met, recursively). */
export function visibleFields(form: FormDefinition, input: Record<string, unknown>): Set<string> {
  const byName = new Map(form.fields.map((f) => [f.name, f]));
  const visible = new Set<string>();
  const isVisible = (f: FieldDefinition, depth: number): boolean => {
    if (!f.showWhen) return true;
    const parent = byName.get(f.showWhen.field);
    if (!parent || depth > 10 || !isVisible(parent, depth + 1)) return false;
    const tokens = conditionTokens(parent, input[parent.name]);
    return tokens.some((t) => f.showWhen!.equals.includes(t));
  };
  for (const f of form.fields) if (isVisible(f, 0)) visible.add(f.name);
  return visible;
}
