// The database's write lock as sqld's connection manager keeps it: one writer at a time, waiters in FIFO order, and
// a holder older than the transaction timeout has its transaction rolled back and the lock taken from it.

interface Waiter<T> {
  owner: T;
  resolve: () => void;
  reject: (e: Error) => void;
}

export interface WriteLockOptions<T> {
  /** How long a holder keeps the lock before a waiter may take it (sqld's TXN_TIMEOUT, 5 s). */
  timeoutMs: number;
  now: () => number;
  /** Rolls the holder's transaction back; called just before its lock goes to the first waiter. */
  steal: (owner: T) => void;
}

export class WriteLock<T> {
  #owner: T | null = null;
  #acquiredAt = 0;
  #waiters: Waiter<T>[] = [];
  #timer: NodeJS.Timeout | null = null;

  constructor(readonly options: WriteLockOptions<T>) {}

  get owner(): T | null {
    return this.#owner;
  }

  /** The holder has had the lock longer than the timeout. */
  expired(owner: T): boolean {
    return this.#owner === owner && this.options.now() - this.#acquiredAt >= this.options.timeoutMs;
  }

  tryAcquire(owner: T): boolean {
    if (this.#owner === owner) return true;
    if (this.#owner !== null || this.#waiters.length > 0) return false;
    this.#take(owner);
    return true;
  }

  /** Waits in FIFO order for as long as the holders keep it, each at most the timeout. */
  acquire(owner: T): Promise<void> {
    if (this.tryAcquire(owner)) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.#waiters.push({ owner, resolve, reject });
      this.#arm();
    });
  }

  release(owner: T): void {
    if (this.#owner !== owner) return;
    this.#owner = null;
    this.#handOver();
  }

  /** Drops a waiter that gave up (its stream closed). */
  abandon(owner: T, error: Error): void {
    const waiter = this.#waiters.find((w) => w.owner === owner);
    if (waiter === undefined) return;
    this.#waiters = this.#waiters.filter((w) => w !== waiter);
    waiter.reject(error);
  }

  cancelAll(error: Error): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    this.#disarm();
    for (const w of waiters) w.reject(error);
  }

  #take(owner: T): void {
    this.#owner = owner;
    this.#acquiredAt = this.options.now();
  }

  #handOver(): void {
    this.#disarm();
    const next = this.#waiters.shift();
    if (next === undefined) return;
    // Directly, so that no statement can slip in between the release and the waiter's turn.
    this.#take(next.owner);
    next.resolve();
    this.#arm();
  }

  /** A waiter behind a holder takes the lock when the holder's time is up, as sqld's busy handler does. */
  #arm(): void {
    if (this.#timer !== null || this.#owner === null || this.#waiters.length === 0) return;
    const holder = this.#owner;
    const left = Math.max(0, this.#acquiredAt + this.options.timeoutMs - this.options.now());
    this.#timer = setTimeout(() => {
      this.#timer = null;
      if (this.#owner !== holder) return this.#arm();
      this.options.steal(holder);
      this.#owner = null;
      this.#handOver();
    }, left);
    this.#timer.unref();
  }

  #disarm(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }
}
