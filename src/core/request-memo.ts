// Once per request: what a GET asks of the database more than once (the campaign, the forms, who is asking)
// is read once, and the first asker's statement is the one every later asker waits for. Outside a request
// (jobs, the CLI) and on writes — whose own changes must be seen — each call reads afresh.
import type { Context, MiddlewareHandler } from 'hono';
import { tryGetContext } from 'hono/context-storage';

const memos = new WeakMap<object, Map<string, Promise<unknown>>>();

export function perRequest<T>(key: string, read: () => Promise<T>): Promise<T> {
  const c = tryGetContext();
  if (!c || (c.req.method !== 'GET' && c.req.method !== 'HEAD')) return read();
  let memo = memos.get(c);
  if (!memo) memos.set(c, (memo = new Map()));
  let p = memo.get(key) as Promise<T> | undefined;
  if (!p) {
    p = read();
    memo.set(key, p);
    // A prefetch nobody awaits must not surface as an unhandled rejection; askers still see the error.
    p.catch(() => {});
  }
  return p;
}

/**
 * How long a write trusts the campaign and form definitions this isolate last checked, without checking again:
 * a submission then costs its one batch alone. A change saved elsewhere reaches this isolate's writes within
 * this time (its pages see it at once); a change saved through this isolate is seen at once.
 */
export const WRITE_TRUSTS_CACHE_MS = 30_000;

/** Whether the request being served is a write (a POST, PUT, DELETE…). */
export function inWriteRequest(): boolean {
  const c = tryGetContext();
  return !!c && c.req.method !== 'GET' && c.req.method !== 'HEAD';
}

/** Whether a cache entry checked at `checkedAt` may serve the write being handled without a new check. */
export function trustedForWrite(checkedAt: number | undefined): boolean {
  return checkedAt !== undefined && inWriteRequest() && Date.now() - checkedAt < WRITE_TRUSTS_CACHE_MS;
}

type Started = { start: () => Promise<unknown>; promise?: Promise<unknown> };
const alongside = new WeakMap<object, Map<string, Started>>();

/**
 * Middleware for a write that knows what it will read before it knows who is asking: `read` is started by the
 * sign-in check (startReadsAlongsideAuth) together with its own statements, so both travel as one round trip.
 * The results are used only after the check passed; a read `read` cannot prepare (null) is skipped. On a GET the
 * page's session lookup has already started (prefetchSession), so the read starts at once and joins it.
 */
export function readAlongsideAuth<T>(key: string, prepare: (c: Context) => Promise<(() => Promise<T>) | null>): MiddlewareHandler {
  return async function readAlongsideAuthMiddleware(c, next) {
    const start = await prepare(c).catch(() => null);
    if (start) {
      let slots = alongside.get(c);
      if (!slots) alongside.set(c, (slots = new Map()));
      const slot: Started = { start };
      slots.set(key, slot);
      // A page's session lookup was started before this (prefetchSession): a read for a GET goes now, with it.
      // A Bearer code is hashed first; its check starts the read with its own (startReadsAlongsideAuth).
      if ((c.req.method === 'GET' || c.req.method === 'HEAD') && !c.req.header('authorization')) {
        slot.promise = start();
        slot.promise.catch(() => {});
      }
    }
    await next();
  };
}

/** Starts every read registered for this request (called by the sign-in check just before its own reads). */
export function startReadsAlongsideAuth(c: Context): void {
  for (const slot of alongside.get(c)?.values() ?? []) {
    if (slot.promise) continue;
    slot.promise = slot.start();
    // Nobody may await it (the check failed): that is no unhandled rejection; the handler still sees the error.
    slot.promise.catch(() => {});
  }
}

/** The read registered under `key` (started now if the check did not start it), or undefined when none was. */
export function readStartedAlongsideAuth<T>(c: Context, key: string): Promise<T> | undefined {
  const slot = alongside.get(c)?.get(key);
  if (!slot) return undefined;
  slot.promise ??= slot.start();
  return slot.promise as Promise<T>;
}

/** Bumped when this isolate writes a change to the organisation (units, cadres): its lists are read afresh. */
let organisationGeneration = 0;

/** Called once each organisation change this isolate writes has ended (src/core/changes.ts runOrganisationBatch). */
export function organisationChanged(): void {
  organisationGeneration++;
}

/**
 * Lists of the organisation (a unit's cadres and villages, the departments) a write may take as this isolate last
 * read them, within WRITE_TRUSTS_CACHE_MS and unless the organisation changed through this isolate since: the form
 * a person posts was built from that very read a moment before, so the post costs its one batch. A page always
 * reads afresh (and refreshes the entry).
 */
export class WriteTrustedCache<T> {
  private readonly entries = new WeakMap<object, Map<string, { at: number; generation: number; value: T }>>();

  async get(db: object, key: string, read: () => Promise<T>): Promise<T> {
    let byKey = this.entries.get(db);
    if (!byKey) this.entries.set(db, (byKey = new Map()));
    const known = byKey.get(key);
    if (known && known.generation === organisationGeneration && trustedForWrite(known.at)) return known.value;
    const at = Date.now();
    const generation = organisationGeneration;
    const value = await read();
    byKey.set(key, { at, generation, value });
    return value;
  }
}
