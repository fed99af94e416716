// Photos attached to submissions: type checked by magic bytes (never the client's claim), metadata stripped
// (EXIF can hold the tipster's GPS position), kept in a PhotoStore — R2 on Workers (src/runtime/workers/photos.ts), a folder on Node, memory in tests.
import { randomCode } from '../lib/crypto.ts';
import { PHOTO_KEY } from '../forms/schema.ts';
import { MAX_PHOTO_BYTES } from '../lib/body-limit.ts';

/** One size limit for every photo, a resident's or a unit's (phones with JavaScript shrink theirs first). */
export const PHOTO_SIZE_MESSAGE = `照片不能超过 ${MAX_PHOTO_BYTES / 1024 / 1024} MB，请换一张或缩小后再传`;

export type PhotoType = 'image/jpeg' | 'image/png' | 'image/webp';

export interface StoredPhoto {
  bytes: Uint8Array;
  type: PhotoType;
}

export interface PhotoStore {
  put(key: string, bytes: Uint8Array, type: PhotoType): Promise<void>;
  get(key: string): Promise<StoredPhoto | null>;
  delete?(key: string): Promise<void>;
}

export const PHOTO_EXTENSIONS: Record<PhotoType, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' };

/** The type the bytes really are, or null for anything that is not JPEG, PNG or WebP. */
export function sniffPhotoType(b: Uint8Array): PhotoType | null {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length >= 8 && [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((x, i) => b[i] === x)) return 'image/png';
  if (b.length >= 12 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP') return 'image/webp';
  return null;
}

function ascii(b: Uint8Array, at: number, n: number): string {
  return String.fromCharCode(...b.subarray(at, at + n));
}

const PHOTO_KEY_ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';

/** An unguessable key: formId/day/random.ext (matches the engine's PHOTO_KEY). */
export function newPhotoKey(formId: string, day: string, type: PhotoType): string {
  return `${formId}/${day}/${randomCode(20, PHOTO_KEY_ALPHABET)}.${PHOTO_EXTENSIONS[type]}`;
}

/** The EXIF orientation (1–8) in an APP1 payload, or undefined. */
export function exifOrientation(app1: Uint8Array): number | undefined {
  if (app1.length < 14 || ascii(app1, 0, 6) !== 'Exif\u0000\u0000') return undefined;
  const t = app1.subarray(6);
  const little = ascii(t, 0, 2) === 'II';
  if (!little && ascii(t, 0, 2) !== 'MM') return undefined;
  const u16 = (at: number) => (little ? t[at]! | (t[at + 1]! << 8) : (t[at]! << 8) | t[at + 1]!);
  const u32 = (at: number) => (little ? u16(at) + u16(at + 2) * 65536 : u16(at) * 65536 + u16(at + 2));
  const ifd = u32(4);
  if (ifd + 2 > t.length) return undefined;
  const count = u16(ifd);
  for (let k = 0; k < count; k++) {
    const e = ifd + 2 + k * 12;
    if (e + 12 > t.length) return undefined;
    if (u16(e) === 0x0112 && u16(e + 2) === 3) {
      const o = u16(e + 8);
      return o >= 1 && o <= 8 ? o : undefined;
    }
  }
  return undefined;
}

/** An APP1 segment holding nothing but the orientation, so a portrait photo still shows upright. */
function orientationSegment(o: number): Uint8Array {
  const payload = [...'Exif\u0000\u0000MM\u0000*'].map((ch) => ch.charCodeAt(0));
  payload.push(0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, o, 0, 0, 0, 0, 0, 0);
  const length = payload.length + 2;
  return new Uint8Array([0xff, 0xe1, length >> 8, length & 0xff, ...payload]);
}

/** Shown when a photo's structure cannot be read: it is refused, never stored with its metadata. */
export const PHOTO_UNREADABLE_MESSAGE = '无法读取这张照片（文件可能已损坏），请换一张或用相机重新拍摄后再传';

/**
 * JPEG without APP1 (EXIF, XMP), APP13 (IPTC) and comments: EXIF can hold the GPS position, the camera's
 * serial number and the owner's name. Only the orientation survives, in a fresh minimal EXIF segment.
 * Parsed strictly and failing closed: null for anything not a well-formed marker sequence ending in EOI
 * (a stray byte once let a file through unchanged, GPS and all); bytes after EOI are dropped.
 */
export function stripJpegMetadata(b: Uint8Array): Uint8Array | null {
  const out: Uint8Array[] = [b.subarray(0, 2)];
  let i = 2;
  while (i + 4 <= b.length) {
    if (b[i] !== 0xff) return null; // not a marker where one must be
    const marker = b[i + 1]!;
    if (marker === 0xff) {
      i++; // fill byte
      continue;
    }
    if (marker === 0xda) {
      // Start of scan: image data up to EOI. Inside it every 0xFF is stuffed (FF 00) or a restart/scan marker, so
      // the first FF D9 ends the image; whatever follows is not part of it.
      for (let j = i + 2; j + 1 < b.length; j++) {
        if (b[j] === 0xff && b[j + 1] === 0xd9) {
          out.push(b.subarray(i, j + 2));
          return concat(out);
        }
      }
      return null;
    }
    if (marker >= 0xd0 && marker <= 0xd9) {
      out.push(b.subarray(i, i + 2));
      i += 2;
      continue;
    }
    const length = (b[i + 2]! << 8) | b[i + 3]!;
    const end = i + 2 + length;
    if (length < 2 || end > b.length) return null;
    const drop = marker === 0xe1 || marker === 0xed || marker === 0xfe;
    if (!drop) out.push(b.subarray(i, end));
    else if (marker === 0xe1) {
      const o = exifOrientation(b.subarray(i + 4, end));
      if (o && o !== 1) out.push(orientationSegment(o));
    }
    i = end;
  }
  return null;
}

/** PNG without eXIf and text chunks (whole chunks go, so the other chunks' CRCs stay valid); null unless it reaches IEND. */
export function stripPngMetadata(b: Uint8Array): Uint8Array | null {
  const out: Uint8Array[] = [b.subarray(0, 8)];
  let i = 8;
  while (i + 12 <= b.length) {
    const length = ((b[i]! << 24) >>> 0) + (b[i + 1]! << 16) + (b[i + 2]! << 8) + b[i + 3]!;
    const type = ascii(b, i + 4, 4);
    const end = i + 12 + length;
    if (end > b.length || !/^[A-Za-z]{4}$/.test(type)) return null;
    if (!['eXIf', 'tEXt', 'iTXt', 'zTXt', 'tIME'].includes(type)) out.push(b.subarray(i, end));
    i = end;
    if (type === 'IEND') return concat(out);
  }
  return null;
}

/** WebP without EXIF and XMP chunks; the VP8X flags and the RIFF size are updated to match; null when the chunks do not add up. */
export function stripWebpMetadata(b: Uint8Array): Uint8Array | null {
  const out: Uint8Array[] = [];
  let i = 12;
  while (i + 8 <= b.length) {
    const size = b[i + 4]! | (b[i + 5]! << 8) | (b[i + 6]! << 16) | ((b[i + 7]! << 24) >>> 0);
    const type = ascii(b, i, 4);
    const end = i + 8 + size + (size % 2);
    if (i + 8 + size > b.length || !/^[\x20-\x7e]{4}$/.test(type)) return null;
    if (type !== 'EXIF' && type !== 'XMP ') {
      const chunk = b.slice(i, Math.min(end, b.length));
      if (type === 'VP8X' && chunk.length > 8) chunk[8] = chunk[8]! & ~0x0c;
      out.push(chunk);
    }
    i = end;
  }
  if (i < b.length || out.length === 0) return null;
  const body = concat(out);
  const result = new Uint8Array(12 + body.length);
  result.set(b.subarray(0, 12));
  const riffSize = 4 + body.length;
  result[4] = riffSize & 0xff;
  result[5] = (riffSize >> 8) & 0xff;
  result[6] = (riffSize >> 16) & 0xff;
  result[7] = (riffSize >>> 24) & 0xff;
  result.set(body, 12);
  return result;
}

/** The photo without its metadata, or null when it cannot be parsed: the caller refuses it (fail closed). */
export function stripPhotoMetadata(b: Uint8Array, type: PhotoType): Uint8Array | null {
  switch (type) {
    case 'image/jpeg':
      return stripJpegMetadata(b);
    case 'image/png':
      return stripPngMetadata(b);
    case 'image/webp':
      return stripWebpMetadata(b);
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The default store: fine for tests and a single short-lived process; bounded so it cannot eat the heap. */
export function memoryPhotoStore(maxPhotos = 200): PhotoStore & { keys(): string[] } {
  const photos = new Map<string, StoredPhoto>();
  return {
    keys: () => [...photos.keys()],
    async put(key, bytes, type) {
      photos.set(key, { bytes, type });
      while (photos.size > maxPhotos) photos.delete(photos.keys().next().value!);
    },
    async get(key) {
      return photos.get(key) ?? null;
    },
    async delete(key) {
      photos.delete(key);
    },
  };
}

/** Photo keys anywhere in a value: a plain key, or inside JSON (a tip's payload, an event's data). */
export function collectPhotoKeys(value: unknown, into: Set<string>): Set<string> {
  if (typeof value === 'string') {
    if (PHOTO_KEY.test(value)) into.add(value);
    else if (value.startsWith('{') || value.startsWith('[')) {
      try {
        collectPhotoKeys(JSON.parse(value), into);
      } catch {
        // free text that merely starts with a brace
      }
    }
  } else if (Array.isArray(value)) for (const v of value) collectPhotoKeys(v, into);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) collectPhotoKeys(v, into);
  return into;
}
