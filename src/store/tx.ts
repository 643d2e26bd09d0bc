// Turns an adapter's synchronous transaction methods into the async StoreTx, refusing calls once it ended.
import type { StoreTx } from "./port.js";

/** StoreTx with plain results: both embedded adapters do their work synchronously. */
export type SyncTx = {
  [K in keyof StoreTx]: (...args: Parameters<StoreTx[K]>) => Awaited<ReturnType<StoreTx[K]>>;
};

/**
 * `check` throws when the transaction is over (a `tx` kept past its `work` would otherwise write
 * outside any transaction); `around` runs each call, e.g. to undo the call's own writes when it throws.
 */
export function asyncTx(impl: SyncTx, check: () => void, around: <T>(call: () => T) => T): StoreTx {
  const tx: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
  for (const [name, method] of Object.entries(impl) as [string, (...args: unknown[]) => unknown][]) {
    tx[name] = async (...args) => {
      check();
      return around(() => method(...args));
    };
  }
  return tx as unknown as StoreTx;
}
