// The JSON Schema of the answers a form accepts, for integrators reading GET /api/v1/forms: the
// validation schema's shape, with labels, help and what is personal as titles and descriptions.
import * as v from 'valibot';
import { toJsonSchema } from '@valibot/to-json-schema';
import { optionsFor, type FormContext } from './context.ts';
import { valueSchema, type AnySchema } from './schema.ts';
import type { FieldDefinition, FormDefinition } from './types.ts';
import { acceptsLocation, LOCATION_JSON_SCHEMA } from '../hazards/location.ts';

function describedSchema(f: FieldDefinition, ctx: FormContext): AnySchema {
  let base: AnySchema;
  switch (f.type) {
    case 'text':
    case 'textarea':
    case 'choice':
    case 'multichoice':
    case 'integer':
    case 'cadre':
      base = f.type === 'cadre' && !ctx.cadres ? (v.pipe(v.number(), v.integer()) as AnySchema) : valueSchema(f, ctx);
      break;
    case 'place':
    case 'unit':
    case 'task':
      base = optionsFor(f, ctx).length > 0 ? valueSchema(f, ctx) : (v.string() as AnySchema);
      break;
    case 'boolean':
      base = v.boolean() as AnySchema;
      break;
    case 'date':
      base = v.pipe(v.string(), v.isoDate()) as AnySchema;
      break;
    case 'datetime':
      base = v.pipe(v.string(), v.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/)) as AnySchema;
      break;
    case 'phone':
      base = v.pipe(v.string(), v.regex(/^(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(?:-\d{1,6})?)$/)) as AnySchema;
      break;
    case 'photo':
      base = v.pipe(v.string(), v.description('照片只能通过网页表单（multipart）上传')) as AnySchema;
      break;
  }
  const meta: v.PipeItem<unknown, unknown, v.BaseIssue<unknown>>[] = [v.title(f.label)];
  const notes = [f.help, f.personal ? '个人信息，单独保存，不公开' : undefined, f.showWhen ? `仅当 ${f.showWhen.field} 为 ${f.showWhen.equals.join('/')} 时填写` : undefined].filter(Boolean);
  if (notes.length > 0) meta.push(v.description(notes.join('；')));
  const described = v.pipe(base, ...meta) as AnySchema;
  return f.required ? described : (v.optional(described) as AnySchema);
}

/** JSON Schema of the answers a form accepts, for GET /api/v1/forms. */
export function formJsonSchema(form: FormDefinition, ctx: FormContext = {}) {
  const entries: Record<string, AnySchema> = {};
  for (const f of form.fields) entries[f.name] = describedSchema(f, ctx);
  const schema = toJsonSchema(v.pipe(v.object(entries), v.title(form.title), v.description(form.intro)), { errorMode: 'ignore' });
  // A hazard's optional place is no answer (it is stored apart) but is posted beside them.
  return acceptsLocation(form.id) ? { ...schema, properties: { ...schema.properties, location: LOCATION_JSON_SCHEMA } } : schema;
}
