// Deletes expired rows on a timer (purgeExpired), so a long-running server's tables stop growing.
import type { Clock } from "../shared/clock.js";
import type { Logger } from "../shared/logger.js";
import type { PurgeCounts, Store } from "./port.js";

export const SWEEP_INTERVAL_MS = 60_000;
/** Log events are kept a week, as a short CloudWatch retention would. */
export const LOG_RETENTION_MS = 7 * 86_400_000;

export interface SweeperOptions {
  store: Store;
  clock: Clock;
  logger: Logger;
  intervalMs?: number | undefined;
  logRetentionMs?: number | undefined;
}

export interface Sweeper {
  /** One sweep now, in one store transaction; the timer's sweeps are these too. */
  runOnce(): Promise<PurgeCounts>;
  /** Stops the timer (call it before closing the store); a sweep under way finishes. */
  stop(): void;
}

export function startSweeper(options: SweeperOptions): Sweeper {
  const { store, clock, logger } = options;
  const logRetentionMs = options.logRetentionMs ?? LOG_RETENTION_MS;
  const runOnce = () => store.transaction((tx) => tx.purgeExpired(clock.now(), { logRetentionMs }));
  let running = false;
  const timer = setInterval(async () => {
    // A sweep slower than the interval is not stacked on by the next one.
    if (running) return;
    running = true;
    try {
      const counts = await runOnce();
      if (Object.values(counts).some((n) => n > 0)) logger.debug("store sweep", { ...counts });
    } catch (error) {
      logger.warn("store sweep failed", { error: (error as Error).message });
    } finally {
      running = false;
    }
  }, options.intervalMs ?? SWEEP_INTERVAL_MS);
  // The sweeper alone never keeps the process alive.
  timer.unref();
  return { runOnce, stop: () => clearInterval(timer) };
}
