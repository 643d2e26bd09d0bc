// Cognito's lockout after failed password sign-ins: five free failures, then 2^(n-5) s locks up to ~15 min.
//
// AWS documents it ("Lockout behavior for failed sign-in attempts"): after five failed password attempts
// the user is locked out for one second, doubling with each further failure up to about 15 minutes;
// attempts during a lock fail with "Password attempts exceeded" and do not lengthen later locks; a
// successful sign-in after a lock, or 15 minutes without any attempt, resets the count.
import type { StoreTx } from "../../store/port.js";

export const FREE_FAILURES = 5;
export const MAX_LOCK_MS = 15 * 60_000;
export const IDLE_RESET_MS = 15 * 60_000;

export interface LockoutState {
  /** Failed password attempts so far, not counting those refused while locked. */
  failures: number;
  /** Epoch ms until which every attempt is refused (0: not locked). */
  lockedUntil: number;
  /** Epoch ms of the last attempt of any kind: 15 idle minutes reset the state. */
  lastAttempt: number;
}

export const FRESH: LockoutState = { failures: 0, lockedUntil: 0, lastAttempt: 0 };

/** The state as it stands at `now`: after 15 minutes without an attempt it starts over. */
export function current(state: LockoutState | undefined, now: number): LockoutState {
  if (!state || now - state.lastAttempt >= IDLE_RESET_MS) return FRESH;
  return state;
}

export const isLocked = (state: LockoutState, now: number): boolean => now < state.lockedUntil;

/** A refused attempt during a lock: it only counts as activity. */
export const afterLockedAttempt = (state: LockoutState, now: number): LockoutState => ({
  ...state,
  lastAttempt: now,
});

/** A wrong password: from the fifth failure on, a lock of 2^(n-5) seconds (at most 15 minutes). */
export function afterFailure(state: LockoutState, now: number): LockoutState {
  const failures = state.failures + 1;
  const lockMs =
    failures >= FREE_FAILURES ? Math.min(2 ** (failures - FREE_FAILURES) * 1000, MAX_LOCK_MS) : 0;
  return { failures, lockedUntil: lockMs > 0 ? now + lockMs : 0, lastAttempt: now };
}

// The store has no general key-value table and its counters cannot be read without counting, so the
// state is kept as a session record under an id no real session can have (those are base64, without ':').
// deleteUser and deletePool remove it with the user's other sessions.
const idOf = (poolId: string, username: string) => `lockout:${poolId}:${username}`;

export async function loadLockout(
  tx: StoreTx,
  poolId: string,
  username: string,
  now: number,
): Promise<LockoutState> {
  const id = idOf(poolId, username);
  const record = await tx.takeSession(id);
  if (!record) return FRESH;
  // Taking deletes it: put it back, so a caller that only looks leaves it as it was.
  await tx.putSession(record);
  const data = record.data as Partial<LockoutState>;
  return current(
    {
      failures: typeof data.failures === "number" ? data.failures : 0,
      lockedUntil: typeof data.lockedUntil === "number" ? data.lockedUntil : 0,
      lastAttempt: typeof data.lastAttempt === "number" ? data.lastAttempt : 0,
    },
    now,
  );
}

/** Saves the state; the fresh state is simply removed. */
export async function saveLockout(
  tx: StoreTx,
  poolId: string,
  username: string,
  state: LockoutState,
): Promise<void> {
  const id = idOf(poolId, username);
  if (state.failures === 0 && state.lockedUntil === 0) {
    await tx.takeSession(id);
    return;
  }
  await tx.putSession({
    id,
    poolId,
    clientId: "",
    username,
    challenge: "LOCKOUT",
    data: { ...state },
    expiresAt: state.lastAttempt + IDLE_RESET_MS,
  });
}
