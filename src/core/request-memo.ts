// Once per request: what a GET asks of the database more than once (the campaign, the forms, who is asking)
// is read once, and the first asker's statement is the one every later asker waits for. Outside a request
// (jobs, the CLI) and on writes — whose own changes must be seen — each call reads afresh.
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
