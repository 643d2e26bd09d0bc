// Unit tests of the sign-in lockout policy: five free failures, then doubling locks, idle reset.
import { describe, expect, it } from "vitest";
import {
  afterFailure,
  afterLockedAttempt,
  current,
  FRESH,
  isLocked,
  type LockoutState,
  MAX_LOCK_MS,
} from "./auth-lockout.js";

const fail = (state: LockoutState, at: number) => afterFailure(current(state, at), at);

describe("lockout policy", () => {
  it("allows four failures without a lock and locks for one second on the fifth", () => {
    let state = FRESH;
    for (let i = 1; i <= 4; i++) {
      state = fail(state, i * 10);
      expect(isLocked(state, i * 10)).toBe(false);
    }
    state = fail(state, 50);
    expect(state.failures).toBe(5);
    expect(isLocked(state, 50)).toBe(true);
    expect(isLocked(state, 1049)).toBe(true);
    expect(isLocked(state, 1050)).toBe(false);
  });

  it("doubles the lock with each further failure, up to 15 minutes", () => {
    let state: LockoutState = { failures: 5, lockedUntil: 0, lastAttempt: 0 };
    state = fail(state, 1000);
    expect(state.lockedUntil - 1000).toBe(2000);
    state = fail(state, 4000);
    expect(state.lockedUntil - 4000).toBe(4000);
    state = { failures: 20, lockedUntil: 0, lastAttempt: 10_000 };
    state = fail(state, 10_000);
    expect(state.lockedUntil - 10_000).toBe(MAX_LOCK_MS);
  });

  it("does not lengthen a lock for attempts made during it", () => {
    const locked = fail({ failures: 4, lockedUntil: 0, lastAttempt: 0 }, 100);
    const after = afterLockedAttempt(locked, 500);
    expect(after.failures).toBe(5);
    expect(after.lockedUntil).toBe(locked.lockedUntil);
    expect(after.lastAttempt).toBe(500);
  });

  it("starts over after 15 minutes without any attempt", () => {
    const state: LockoutState = { failures: 9, lockedUntil: 20_000, lastAttempt: 1000 };
    expect(current(state, 1000 + 15 * 60_000 - 1)).toBe(state);
    expect(current(state, 1000 + 15 * 60_000)).toEqual(FRESH);
  });
});
