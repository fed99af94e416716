// Request size caps: small for answers, larger for forms that carry a photo. Over the cap is a 413 in Chinese.
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { AppError } from './errors.ts';

export const MAX_ANSWERS_BYTES = 64 * 1024;
/** Phone cameras produce 3–7 MB JPEGs; photos above this are refused beside their field. */
export const MAX_PHOTO_BYTES = 8 * 1024 * 1024;
/** A photo plus the answers and multipart framing. */
export const MAX_MULTIPART_BYTES = MAX_PHOTO_BYTES + 256 * 1024;

export const TOO_LARGE_MESSAGE = '提交的内容太大，请缩小照片或删减文字后再试';

/**
 * The one way a route caps its body: refused by size before it is parsed, with a 413 PAYLOAD_TOO_LARGE in Chinese.
 * A body with a Content-Length is judged by it (the server reads exactly that many bytes, no more), without touching
 * the body: on Node, reaching for `request.body` turns the server's light request into a full web Request with a
 * stream, which cost a third of a small JSON post. A chunked body, which has no length, is counted as it streams.
 */
export function limitBody(maxSize: number, message = TOO_LARGE_MESSAGE): MiddlewareHandler {
  const tooLarge = (): never => {
    throw new AppError(413, 'PAYLOAD_TOO_LARGE', message);
  };
  const counted = bodyLimit({ maxSize, onError: tooLarge });
  return async function limitBodyMiddleware(c, next) {
    const { method, headers } = c.req.raw;
    if (method === 'GET' || method === 'HEAD') return next();
    const length = headers.get('content-length');
    if (length !== null && !headers.has('transfer-encoding')) {
      // A malformed length is refused by the server before it gets here; treat anything unreadable as too large.
      const n = /^\d+$/.test(length.trim()) ? Number(length) : Infinity;
      if (n > maxSize) tooLarge();
      return next();
    }
    return counted(c, next);
  };
}
