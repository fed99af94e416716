// Hazard-tip photos in an R2 bucket (the PHOTOS binding).
import { sniffPhotoType, type PhotoStore } from '../../submissions/photos.ts';

/** The shape of an R2 bucket binding this module needs (structural, so tests can pass a fake). */
export interface R2Like {
  put(key: string, value: Uint8Array, options?: { httpMetadata?: { contentType?: string } }): Promise<unknown>;
  get(key: string): Promise<{ arrayBuffer(): Promise<ArrayBuffer>; httpMetadata?: { contentType?: string } } | null>;
  delete(key: string): Promise<void>;
}

export function r2PhotoStore(bucket: R2Like): PhotoStore {
  return {
    async put(key, bytes, type) {
      await bucket.put(key, bytes, { httpMetadata: { contentType: type } });
    },
    async get(key) {
      const obj = await bucket.get(key);
      if (!obj) return null;
      const bytes = new Uint8Array(await obj.arrayBuffer());
      return { bytes, type: sniffPhotoType(bytes) ?? 'image/jpeg' };
    },
    async delete(key) {
      await bucket.delete(key);
    },
  };
}
