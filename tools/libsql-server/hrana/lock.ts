// The server-wide write lock: one stream at a time may write or hold a write transaction.

export class LockTimeoutError extends Error {
  override name = 'LockTimeoutError';
}

interface Waiter<T> {
  owner: T;
  resolve: () => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

export class WriteLock<T> {
  #owner: T | null = null;
  #waiters: Waiter<T>[] = [];

  get owner(): T | null {
    return this.#owner;
  }

  tryAcquire(owner: T): boolean {
    if (this.#owner === owner) return true;
    if (this.#owner !== null || this.#waiters.length > 0) return false;
    this.#owner = owner;
    return true;
  }

  /** Waits in FIFO order; rejects with LockTimeoutError after timeoutMs. */
  acquire(owner: T, timeoutMs: number): Promise<void> {
    if (this.tryAcquire(owner)) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter<T> = {
        owner,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.#waiters = this.#waiters.filter((w) => w !== waiter);
          reject(new LockTimeoutError('database is locked'));
        }, timeoutMs),
      };
      this.#waiters.push(waiter);
    });
  }

  release(owner: T): void {
    if (this.#owner !== owner) return;
    const next = this.#waiters.shift();
    if (next === undefined) {
      this.#owner = null;
      return;
    }
    clearTimeout(next.timer);
    // Hand over directly, so that no statement can slip in between the release and the waiter's turn.
    this.#owner = next.owner;
    next.resolve();
  }

  cancelAll(error: Error): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) {
      clearTimeout(w.timer);
      w.reject(error);
    }
  }
}
