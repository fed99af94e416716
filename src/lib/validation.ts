// Request bodies checked by valibot schemas through hono's validator, so every route answers the same way:
// 415 for a body that is not JSON, 400 for one that does not parse to an object, 422 VALIDATION_FAILED field by field.
import type { Context, MiddlewareHandler, Next } from 'hono';
import { validator } from 'hono/validator';
import * as v from 'valibot';
import { AppError, validationFailed, type FieldError } from './errors.ts';

/** What a field says when its schema names no message of its own (valibot's defaults are English). */
const FALLBACK_MESSAGE = '格式不正确';
const JSON_TYPE = /^application\/([\w.-]+\+)?json$/i;

/** valibot's issues as the one list of field errors: the first problem of each field, the field its dotted path. */
export function fieldErrors(issues: readonly v.BaseIssue<unknown>[]): FieldError[] {
  const byField = new Map<string, string>();
  for (const issue of issues) {
    const field = issue.path?.map((p) => String(p.key)).join('.') || '_';
    if (!byField.has(field)) byField.set(field, issue.message);
  }
  return [...byField].map(([field, message]) => ({ field, message }));
}

/** The schema's output, or a 422 VALIDATION_FAILED listing every field that is wrong. */
export function parseOrFail<S extends v.GenericSchema>(schema: S, value: unknown, message?: string): v.InferOutput<S> {
  const result = v.safeParse(schema, value, { message: FALLBACK_MESSAGE });
  if (!result.success) throw validationFailed(fieldErrors(result.issues), message);
  return result.output;
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * Any JSON object, every key kept (a `__proto__` key too, so a strict check later still names it): for routes that
 * check their fields only once they know who may write what, or against a form's own schema.
 */
export const JSON_OBJECT = v.custom<Record<string, unknown>>(isObject, '请求体应为 JSON 对象');

/**
 * hono's `validator('json')` driven by a valibot schema: the handler reads `c.req.valid('json')`.
 * `message` is the 422's summary in Chinese; the field messages come from the schema.
 */
export function vJson<S extends v.GenericSchema>(schema: S, message?: string) {
  const check = validator('json', (value, c: Context) => {
    if (!JSON_TYPE.test((c.req.header('content-type') ?? '').split(';')[0]!.trim())) {
      throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', '请以 JSON 提交（Content-Type: application/json）');
    }
    if (!isObject(value)) throw new AppError(400, 'BAD_JSON', '请求体应为 JSON 对象');
    return parseOrFail(schema, value, message) as v.InferOutput<S>;
  });
  // hono's own answer to unparsable JSON is an English 400: say it in Chinese like every other answer.
  const validateJson: MiddlewareHandler = async (c, next: Next) => {
    let parsed = false;
    try {
      return (await check(c, () => {
        parsed = true;
        return next();
      })) as Response | void;
    } catch (err) {
      if (!parsed && !(err instanceof AppError)) throw new AppError(400, 'BAD_JSON', '请求体不是有效的 JSON');
      throw err;
    }
  };
  return validateJson as unknown as typeof check;
}
