// Request size caps: small for answers, larger for forms that carry a photo. Over the cap is a 413 in Chinese.
import { bodyLimit } from 'hono/body-limit';
import { AppError } from './errors.ts';

export const MAX_ANSWERS_BYTES = 64 * 1024;
/** Phone cameras produce 3–7 MB JPEGs; photos above this are refused beside their field. */
export const MAX_PHOTO_BYTES = 8 * 1024 * 1024;
/** A photo plus the answers and multipart framing. */
export const MAX_MULTIPART_BYTES = MAX_PHOTO_BYTES + 256 * 1024;

export const TOO_LARGE_MESSAGE = '提交的内容太大，请缩小照片或删减文字后再试';

/** The one way a route caps its body: refused by size before it is parsed, with a 413 PAYLOAD_TOO_LARGE in Chinese. */
export function limitBody(maxSize: number, message = TOO_LARGE_MESSAGE) {
  return bodyLimit({
    maxSize,
    onError: () => {
      throw new AppError(413, 'PAYLOAD_TOO_LARGE', message);
    },
  });
}
