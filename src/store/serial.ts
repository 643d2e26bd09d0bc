// Lets a store run `limit` transactions at once (SQLite: one), the rest waiting in the order they asked.
import { AsyncLocalStorage } from "node:async_hooks";

export class Gate {
  #running = 0;
  #waiting: (() => void)[] = [];
  #closed = false;
  #idle: (() => void)[] = [];
  // Which transaction the caller runs inside: a nested one would wait for itself at a limit of one.
  readonly #inside = new AsyncLocalStorage<{ active: boolean }>();

  constructor(readonly limit: number) {}

  async run<T>(body: () => Promise<T>): Promise<T> {
    if (this.#inside.getStore()?.active) {
      throw new Error("store transaction started inside another one: it would wait for itself");
    }
    // Refused when asked after close; those queued before it still run.
    if (this.#closed) throw new Error("store is closed");
    if (this.#running >= this.limit || this.#waiting.length > 0) {
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    } else {
      this.#running++;
    }
    const running = { active: true };
    try {
      return await this.#inside.run(running, body);
    } finally {
      running.active = false;
      const next = this.#waiting.shift();
      // The slot passes straight to the next waiter, so none can overtake it.
      if (next) next();
      else {
        this.#running--;
        if (this.#running === 0) for (const done of this.#idle.splice(0)) done();
      }
    }
  }

  /** Refuses new transactions, then waits for those running or queued. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#running === 0 && this.#waiting.length === 0) return;
    await new Promise<void>((resolve) => this.#idle.push(resolve));
  }
}
