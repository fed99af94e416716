// Errors with a status, a machine code and a message in Chinese that can be shown to people.
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export class AppError extends HTTPException {
  readonly code: string;
  readonly details: Record<string, unknown> | undefined;
  constructor(status: ContentfulStatusCode, code: string, message: string, details?: Record<string, unknown>) {
    super(status, { message });
    this.code = code;
    this.details = details;
  }
}

/** One field's problem: shown beside the field on a page, listed in a 422's `errors` by the API. */
export interface FieldError {
  field: string;
  message: string;
}

export const VALIDATION_MESSAGE = '提交的内容有误，请按 errors 修改';

/** The one 422 of every route: `{error: 'VALIDATION_FAILED', message, errors: [{field, message}]}` (plus any extra details). */
export const validationFailed = (errors: readonly FieldError[], message = VALIDATION_MESSAGE, extra?: Record<string, unknown>) =>
  new AppError(422, 'VALIDATION_FAILED', message, { ...extra, errors });

export const notFound = (message = '找不到您要的内容') => new AppError(404, 'NOT_FOUND', message);
export const badRequest = (message: string, code = 'BAD_REQUEST') => new AppError(400, code, message);
export const unauthorized = (message = '请先输入访问码登录') => new AppError(401, 'UNAUTHORIZED', message);
export const forbidden = (message = '无权访问该内容', details?: Record<string, unknown>) => new AppError(403, 'FORBIDDEN', message, details);

/** True for errors that mean the database could not be reached, as opposed to a bad statement. */
export function isDatabaseUnavailable(err: unknown): boolean {
  const e = err as { code?: unknown; name?: unknown; cause?: unknown; message?: unknown } | null;
  if (!e || typeof e !== 'object') return false;
  const code = String(e.code ?? '');
  if (/^(SERVER_ERROR|HRANA_WEBSOCKET_ERROR|STREAM_EXPIRED|TRANSACTION_TIMEOUT|SQLITE_BUSY|SQLITE_CANTOPEN|SQLITE_IOERR|SQLITE_FULL|CLIENT_CLOSED|ECONNREFUSED|ECONNRESET)/.test(code)) return true;
  if (e.name === 'TypeError' && /fetch|network|connect/i.test(String(e.message ?? ''))) return true;
  if (/ECONNREFUSED|fetch failed|database is locked|disk I\/O/i.test(String(e.message ?? ''))) return true;
  return e.cause ? isDatabaseUnavailable(e.cause) : false;
}

/**
 * What may be logged about an error. A failed query's message carries its bound values, which can be personal data
 * (a tipster's phone): log the SQL text and the driver's own message instead.
 */
export function loggableError(err: unknown): { error: string; query?: string; stack?: string } {
  const e = err as { message?: unknown; query?: unknown; params?: unknown; cause?: unknown; stack?: unknown } | null;
  if (e && typeof e === 'object' && typeof e.query === 'string' && 'params' in e) {
    const cause = e.cause ? loggableError(e.cause) : { error: 'query failed' };
    return { ...cause, query: e.query.slice(0, 500) };
  }
  return { error: String(e?.message ?? err), stack: typeof e?.stack === 'string' ? e.stack : undefined };
}
