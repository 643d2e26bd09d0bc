// The sweeper purges at the injected clock's time, on its timer and on demand, until stopped.
import { afterEach, describe, expect, it, vi } from "vitest";
import { silentLogger } from "../shared/logger.js";
import type { Store } from "./port.js";
import { createSqliteStore } from "./sqlite.js";
import { LOG_RETENTION_MS, startSweeper } from "./sweeper.js";

const T0 = 1_700_000_000_000;

describe("startSweeper", () => {
  let store: Store;
  afterEach(async () => {
    vi.useRealTimers();
    await store.close();
  });

  const seed = () =>
    store.transaction(async (tx) => {
      await tx.putPool({ id: "p", name: "p", settings: {}, createdAt: 0, lastModifiedAt: 0 });
      const session = { id: "s", poolId: "p", clientId: "c", username: "u", challenge: "X", data: {} };
      await tx.putSession({ ...session, expiresAt: 0 });
      await tx.putSession({ ...session, id: "live", expiresAt: T0 + 1 });
      await tx.appendLogEvents("/g", "s", [{ timestamp: T0 - LOG_RETENTION_MS - 1, message: "old" }], T0);
      await tx.appendLogEvents("/g", "s", [{ timestamp: T0 - LOG_RETENTION_MS, message: "kept" }], T0);
    });

  it("runOnce purges at the clock's time with a week's log retention by default", async () => {
    store = createSqliteStore({ memory: true });
    await seed();
    const sweeper = startSweeper({ store, clock: { now: () => T0 }, logger: silentLogger });
    try {
      expect(await sweeper.runOnce()).toEqual({
        sessions: 1,
        codes: 0,
        refreshTokens: 0,
        counters: 0,
        logEvents: 1,
      });
      expect(await store.transaction((tx) => tx.takeSession("live"))).toBeDefined();
    } finally {
      sweeper.stop();
    }
  });

  it("sweeps every interval until stopped, logging what it removed and what failed", async () => {
    vi.useFakeTimers();
    store = createSqliteStore({ memory: true });
    await seed();
    const logger = { ...silentLogger, debug: vi.fn(), warn: vi.fn() };
    const sweeper = startSweeper({ store, clock: { now: () => T0 }, logger, intervalMs: 1000 });
    await vi.advanceTimersByTimeAsync(999);
    expect(logger.debug).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(logger.debug).toHaveBeenCalledWith("store sweep", expect.objectContaining({ sessions: 1 }));
    await vi.advanceTimersByTimeAsync(1000);
    // Nothing left to remove: nothing logged.
    expect(logger.debug).toHaveBeenCalledTimes(1);
    await store.close();
    await vi.advanceTimersByTimeAsync(1000);
    expect(logger.warn).toHaveBeenCalledWith("store sweep failed", { error: "store is closed" });
    sweeper.stop();
    await vi.advanceTimersByTimeAsync(5000);
    expect(logger.warn).toHaveBeenCalledTimes(1);
  });
});
