// Runs transactions one at a time, in the order they were asked for, for adapters with a single writer.
import { AsyncLocalStorage } from "node:async_hooks";

interface Running {
  active: boolean;
}

export class TransactionQueue {
  #tail: Promise<void> = Promise.resolve();
  #closed = false;
  // Which transaction the caller runs inside: a nested `transaction` call would wait for itself forever.
  readonly #inside = new AsyncLocalStorage<Running>();

  async run<T>(body: () => Promise<T>): Promise<T> {
    if (this.#inside.getStore()?.active) {
      throw new Error("store transaction started inside another one: it would wait for itself");
    }
    // Refused when asked after close; those queued before it still run.
    if (this.#closed) throw new Error("store is closed");
    const previous = this.#tail;
    let release = (): void => {};
    this.#tail = new Promise<void>((resolve) => {
      release = resolve;
    });
    await previous;
    const running: Running = { active: true };
    try {
      return await this.#inside.run(running, body);
    } finally {
      running.active = false;
      release();
    }
  }

  /** Waits for every queued transaction, then runs `finish` once; later transactions are refused. */
  async close(finish: () => void): Promise<void> {
    if (this.#closed) return;
    const previous = this.#tail;
    this.#closed = true;
    let release = (): void => {};
    this.#tail = new Promise<void>((resolve) => {
      release = resolve;
    });
    try {
      await previous;
      finish();
    } finally {
      release();
    }
  }
}
