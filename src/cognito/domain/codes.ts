// One-time codes: 6 digits from a CSPRNG, stored hashed, expiring, single-use and attempt-limited.
import { createHash, timingSafeEqual } from "node:crypto";
import type { Random } from "../../shared/random.js";
import type { CodePurpose, PoolRecord, UserRecord } from "../../store/model.js";
import type { StoreTx } from "../../store/port.js";
import { codeMismatch, expiredCode, limitExceeded, MESSAGES } from "../errors.js";

/** Validity per purpose: sign-up and attribute verification 24 h, forgot-password 1 h. */
export function codeValidityMs(purpose: CodePurpose): number {
  return purpose === "forgot-password" ? 3_600_000 : 86_400_000;
}

/** Wrong guesses one code tolerates before it is void (Cognito's exact figure is not published). */
export const MAX_CODE_ATTEMPTS = 5;

const hash = (code: string) => createHash("sha256").update(code).digest("hex");

export function newCode(random: Random): string {
  return String(random.int(1_000_000)).padStart(6, "0");
}

/**
 * Stores `code` (made by newCode before the transaction, so that its message could be composed first)
 * for the user, replacing any earlier one of that purpose.
 */
export async function storeCode(
  tx: StoreTx,
  pool: PoolRecord,
  user: UserRecord,
  purpose: CodePurpose,
  code: string,
  now: number,
): Promise<void> {
  await tx.putCode({
    poolId: pool.id,
    username: user.username,
    purpose,
    codeHash: hash(code),
    createdAt: now,
    expiresAt: now + codeValidityMs(purpose),
    failedAttempts: 0,
  });
}

/**
 * Checks `code` and, when right, deletes it (single use). Wrong: CodeMismatchException, counting the
 * attempt (which must be committed, so the caller rethrows after its transaction saved it: see
 * `CodeCheck`); none or expired: ExpiredCodeException; too many wrong guesses: LimitExceededException.
 */
export async function checkCode(
  tx: StoreTx,
  pool: PoolRecord,
  user: UserRecord,
  purpose: CodePurpose,
  code: string,
  now: number,
): Promise<CodeCheck> {
  const stored = await tx.getCode(pool.id, user.username, purpose);
  if (!stored || stored.expiresAt <= now) return { ok: false, error: expiredCode(MESSAGES.expiredCode) };
  if (stored.failedAttempts >= MAX_CODE_ATTEMPTS)
    return { ok: false, error: limitExceeded(MESSAGES.attemptLimit) };
  const expected = Buffer.from(stored.codeHash, "hex");
  const given = Buffer.from(hash(code), "hex");
  if (!timingSafeEqual(expected, given)) {
    await tx.putCode({ ...stored, failedAttempts: stored.failedAttempts + 1 });
    return { ok: false, error: codeMismatch(MESSAGES.codeMismatch) };
  }
  await tx.deleteCode(pool.id, user.username, purpose);
  return { ok: true };
}

/**
 * The outcome of a code check. A wrong code is not thrown inside the transaction, so that the
 * counted attempt is committed; the action throws `error` after the transaction.
 */
export type CodeCheck = { ok: true } | { ok: false; error: Error };
