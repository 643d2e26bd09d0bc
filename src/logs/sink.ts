// The LogSink the local invoker writes to: each batch of a function's output lands in the store.
import type { LogSink } from "../lambda/ports.js";
import type { Clock } from "../shared/clock.js";
import type { Store } from "../store/port.js";

/**
 * Appends each batch in its own transaction, stamped with the clock's time as its ingestion time.
 * Timestamps are whole epoch milliseconds in CloudWatch: a fractional one (performance.now arithmetic)
 * is rounded down here rather than refused by the store.
 */
export function storeLogSink(store: Store, clock: Clock): LogSink {
  return {
    append: (group, stream, events) => {
      const whole = events.map((e) => ({
        timestamp: Math.max(0, Math.floor(e.timestamp)),
        message: e.message,
      }));
      return store.transaction((tx) => tx.appendLogEvents(group, stream, whole, Math.floor(clock.now())));
    },
  };
}
