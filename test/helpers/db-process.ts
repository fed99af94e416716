// The local libSQL server and its counting proxy in a child process (db-process-child.ts), controlled over IPC.
import { fork } from 'node:child_process';

export interface DatabaseProcess {
  /** The counting proxy's URL. */
  url: string;
  setDelay(ms: number): Promise<void>;
  reset(): Promise<void>;
  trips(): Promise<number>;
  close(): Promise<void>;
}

export async function startDatabaseProcess(file: string): Promise<DatabaseProcess> {
  const child = fork(new URL('./db-process-child.ts', import.meta.url), [file], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiting = new Map<number, (value: unknown) => void>();
  let next = 1;
  child.on('message', (m: { id: number; value: unknown }) => {
    waiting.get(m.id)?.(m.value);
    waiting.delete(m.id);
  });
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`database process exited (${code})`))));
  exited.catch(() => {});
  const ask = (op: string, ms?: number) =>
    Promise.race([
      new Promise((resolve) => {
        const id = next++;
        waiting.set(id, resolve);
        child.send({ id, op, ms });
      }),
      exited,
    ]);
  const url = (await Promise.race([new Promise((resolve) => waiting.set(0, resolve)), exited])) as string;
  return {
    url,
    setDelay: async (ms) => void (await ask('delay', ms)),
    reset: async () => void (await ask('reset')),
    trips: async () => (await ask('trips')) as number,
    async close() {
      if (child.exitCode !== null) return;
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.send({ id: next++, op: 'close' });
      await gone;
    },
  };
}
