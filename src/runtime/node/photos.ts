// Photos on disk for the Node runtime (data/photos by default): one file per key, written atomically.
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { PHOTO_KEY } from '../../forms/schema.ts';
import { sniffPhotoType, type PhotoStore } from '../../submissions/photos.ts';

export function diskPhotoStore(folder = 'data/photos'): PhotoStore {
  const root = resolve(folder);
  const pathOf = (key: string) => {
    // Keys are made by newPhotoKey; refuse anything else so a key can never leave the folder.
    const path = resolve(join(root, key));
    if (!PHOTO_KEY.test(key) || !path.startsWith(root + sep)) throw new Error(`INVALID_PHOTO_KEY ${key}`);
    return path;
  };
  return {
    async put(key, bytes) {
      const path = pathOf(key);
      await mkdir(dirname(path), { recursive: true });
      const tmp = `${path}.${process.pid}.tmp`;
      await writeFile(tmp, bytes);
      await rename(tmp, path);
    },
    async get(key) {
      // A key we could never have made is simply not here: 404, not a 500 from pathOf.
      if (!PHOTO_KEY.test(key) || !resolve(join(root, key)).startsWith(root + sep)) return null;
      try {
        const bytes = new Uint8Array(await readFile(pathOf(key)));
        const type = sniffPhotoType(bytes);
        return type ? { bytes, type } : null;
      } catch (err) {
        if ((err as { code?: string }).code === 'ENOENT') return null;
        throw err;
      }
    },
    async delete(key) {
      await rm(pathOf(key), { force: true });
    },
  };
}
