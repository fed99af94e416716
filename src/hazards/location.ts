// The optional place of a hazard tip, a ledger row or a fix report: a browser's WGS-84 point and its accuracy, read
// from the JSON API's `location` object or a form page's hidden `_lat`/`_lng`/`_accuracy` fields, checked field by field.
import type { FieldError } from '../lib/errors.ts';
import { HAZARD_LEDGER_FORM, HAZARD_TIP_FORM } from './from-submission.ts';

export interface GeoPoint {
  lat: number;
  lng: number;
  /** Metres (the browser's 95% radius). */
  accuracy: number;
}

/** The forms whose submissions make a hazard and so may carry its place. */
export const LOCATION_FORMS: readonly string[] = [HAZARD_TIP_FORM, HAZARD_LEDGER_FORM];
export const acceptsLocation = (formId: string) => LOCATION_FORMS.includes(formId);

/** The hazard moves that may carry where the unit stood: reporting the work (or its part) done. */
export const FIX_ACTIONS: readonly string[] = ['report_fixed', 'report_part_fixed'];

/** The hidden fields a form page posts (leading `_`: never an answer). */
export const LOCATION_FIELDS = { lat: '_lat', lng: '_lng', accuracy: '_accuracy' } as const;

/** A fix further off than this is not worth keeping: it does not say which corner, or even which village. */
export const MAX_ACCURACY_METRES = 10_000;

export const LOCATION_MESSAGES = {
  object: '位置应为 {lat, lng, accuracy} 对象',
  lat: '纬度（lat）应为 -90 到 90 之间的数字',
  lng: '经度（lng）应为 -180 到 180 之间的数字',
  accuracy: `精度（accuracy）应为 0 到 ${MAX_ACCURACY_METRES} 之间的米数`,
  form: '这个表单不记录位置',
  action: '只有报告整改完成时可以附带位置',
  page: '定位信息无效，请重新点击“使用我的位置”，或不带位置提交',
} as const;

/** JSON Schema of `location`, added to the forms that take it. */
export const LOCATION_JSON_SCHEMA = {
  type: 'object',
  title: '位置（可选）',
  description: '浏览器定位得到的 WGS-84 坐标与精度（米）；只给区综治办和责任单位看，不写入共享表格。',
  properties: {
    lat: { type: 'number', minimum: -90, maximum: 90, title: '纬度' },
    lng: { type: 'number', minimum: -180, maximum: 180, title: '经度' },
    accuracy: { type: 'number', minimum: 0, maximum: MAX_ACCURACY_METRES, title: '精度（米）' },
  },
  required: ['lat', 'lng', 'accuracy'],
  additionalProperties: false,
} as const;

const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/** Checks a JSON `location` value (absent or null: none). Errors name `location.lat` etc. */
export function parseLocation(raw: unknown, field = 'location'): { location?: GeoPoint; errors: FieldError[] } {
  if (raw === undefined || raw === null) return { errors: [] };
  if (typeof raw !== 'object' || Array.isArray(raw)) return { errors: [{ field, message: LOCATION_MESSAGES.object }] };
  const o = raw as Record<string, unknown>;
  const errors: FieldError[] = [];
  for (const k of Object.keys(o)) if (k !== 'lat' && k !== 'lng' && k !== 'accuracy') errors.push({ field: `${field}.${k}`, message: '位置中没有这一项' });
  if (!finite(o.lat) || o.lat < -90 || o.lat > 90) errors.push({ field: `${field}.lat`, message: LOCATION_MESSAGES.lat });
  if (!finite(o.lng) || o.lng < -180 || o.lng > 180) errors.push({ field: `${field}.lng`, message: LOCATION_MESSAGES.lng });
  if (!finite(o.accuracy) || o.accuracy < 0 || o.accuracy > MAX_ACCURACY_METRES) errors.push({ field: `${field}.accuracy`, message: LOCATION_MESSAGES.accuracy });
  if (errors.length) return { errors };
  return { location: { lat: o.lat as number, lng: o.lng as number, accuracy: o.accuracy as number }, errors };
}

/**
 * Reads a form page's hidden fields: all empty is no location; anything unreadable is one error on `_location`
 * (the person cannot edit hidden fields, so they are told to locate again or send without it).
 */
export function locationFromForm(body: Record<string, unknown>): { location?: GeoPoint; errors: FieldError[] } {
  const text = (k: string) => {
    const v = body[k];
    return typeof v === 'string' ? v.trim() : '';
  };
  const lat = text(LOCATION_FIELDS.lat);
  const lng = text(LOCATION_FIELDS.lng);
  const accuracy = text(LOCATION_FIELDS.accuracy);
  if (!lat && !lng && !accuracy) return { errors: [] };
  const num = (s: string) => (/^-?\d{1,3}(\.\d{1,12})?$|^\d{1,6}(\.\d{1,6})?$/.test(s) ? Number(s) : NaN);
  const parsed = parseLocation({ lat: num(lat), lng: num(lng), accuracy: num(accuracy) });
  return parsed.location ? parsed : { errors: [{ field: '_location', message: LOCATION_MESSAGES.page }] };
}

/** The JSON body's `location`, taken out of the answers; refused on a form that does not take one. */
export function takeLocation(
  form: { id: string; fields: readonly { name: string }[] },
  body: Record<string, unknown>,
): { location?: GeoPoint; errors: FieldError[]; rest: Record<string, unknown> } {
  // A form with its own field named "location" (the publicity register's place) keeps it as an answer.
  if (!acceptsLocation(form.id) && form.fields.some((f) => f.name === 'location')) return { errors: [], rest: body };
  const { location: raw, ...rest } = body;
  if (raw === undefined || raw === null) return { errors: [], rest };
  if (!acceptsLocation(form.id)) return { errors: [{ field: 'location', message: LOCATION_MESSAGES.form }], rest };
  return { ...parseLocation(raw), rest };
}
