// Evidence photos on hazards: a unit's or the office's upload with a transition (checked by magic bytes,
// metadata stripped, stored in deps.photos), and staff viewing the photos of a hazard they may see.
import { Hono } from 'hono';
import { eq } from 'drizzle-orm';
import type { Deps } from '../../deps.ts';
import { hazardEvents } from '../../db/schema.ts';
import { requireRole, type AuthEnv } from '../../auth/middleware.ts';
import { notFound, validationFailed } from '../../lib/errors.ts';
import { limitBody, MAX_PHOTO_BYTES } from '../../lib/body-limit.ts';
import { shanghaiDay } from '../../lib/time.ts';
import { newPhotoKey, PHOTO_SIZE_MESSAGE, PHOTO_UNREADABLE_MESSAGE, sniffPhotoType, stripPhotoMetadata, type PhotoStore } from '../../submissions/photos.ts';
import { findVisibleHazard } from '../queries.ts';

/** The same limit as a resident's photo: a unit's phone camera takes the same pictures. */
export const MAX_HAZARD_PHOTO_BYTES = MAX_PHOTO_BYTES;
export const PHOTO_FIELD = 'photoFile';

/** A photo plus the form's text fits; more is a 413. */
export const PHOTO_BODY_LIMIT = limitBody(MAX_HAZARD_PHOTO_BYTES + 256 * 1024);

/** The store photos go to: the same one the public tip form writes, so staff see a tip's photo. */
export function hazardPhotoStore(deps: Deps): PhotoStore {
  return deps.photos;
}

/**
 * Takes the uploaded evidence photo of a posted form, if any, and returns its new key. The key is
 * chosen here, never by the client. Throws 422 for a file that is too large or not an image.
 */
export async function takeHazardPhoto(deps: Deps, form: Record<string, unknown>): Promise<string | undefined> {
  const raw = form[PHOTO_FIELD];
  const file = (Array.isArray(raw) ? raw : [raw]).find((x): x is File => x instanceof File && x.size > 0);
  if (!file) return undefined;
  const invalid = (message: string) => validationFailed([{ field: 'photo', message }], message);
  if (file.size > MAX_HAZARD_PHOTO_BYTES) throw invalid(PHOTO_SIZE_MESSAGE);
  const bytes = new Uint8Array(await file.arrayBuffer());
  const type = sniffPhotoType(bytes);
  if (!type) throw invalid('只能上传 JPEG、PNG 或 WebP 照片');
  const stripped = stripPhotoMetadata(bytes, type);
  if (!stripped) throw invalid(PHOTO_UNREADABLE_MESSAGE);
  const key = newPhotoKey('hazard-evidence', shanghaiDay(deps.now()), type);
  await hazardPhotoStore(deps).put(key, stripped, type);
  return key;
}

/** The photo keys a hazard's events carry (the tip's own photo and every evidence photo). */
export async function hazardPhotoKeys(deps: Deps, hazardId: number): Promise<string[]> {
  const rows = await deps.db.select({ data: hazardEvents.data }).from(hazardEvents).where(eq(hazardEvents.hazardId, hazardId));
  const keys: string[] = [];
  for (const r of rows) {
    if (!r.data) continue;
    const photo = (JSON.parse(r.data) as { photo?: unknown }).photo;
    if (typeof photo === 'string') keys.push(photo);
  }
  return keys;
}

export function hazardPhotoRoutes(deps: Deps) {
  const app = new Hono<AuthEnv>();
  const staff = requireRole(deps, ['admin', 'leader', 'unit']);
  // Only a key this hazard's events mention, and only for someone who may see the hazard.
  app.get('/hazards/:id/photos/:key{.+}', staff, async (c) => {
    const row = await findVisibleHazard(deps, c.get('principal'), c.req.param('id'));
    const key = c.req.param('key');
    if (!(await hazardPhotoKeys(deps, row.id)).includes(key)) throw notFound('找不到该照片');
    const photo = await hazardPhotoStore(deps).get(key);
    if (!photo) throw notFound('照片已不存在');
    return c.body(photo.bytes as Uint8Array<ArrayBuffer>, 200, { 'content-type': photo.type, 'cache-control': 'private, max-age=3600', 'x-content-type-options': 'nosniff' });
  });
  return app;
}
