// Setting a user's password: the pool's policy with Cognito's messages, and the SRP verifier kept instead.

import type { Random } from "../../shared/random.js";
import type { PasswordRecord, PoolRecord, UserRecord } from "../../store/model.js";
import { invalidPassword } from "../errors.js";
import {
  checkPasswordPolicy,
  generateTemporaryPassword,
  type PasswordAction,
  passwordPolicyMessage,
} from "./password-policy.js";
import { passwordPolicy, poolShortName, temporaryPasswordValidityDays } from "./pools.js";
import { checkPassword, newPasswordRecordParts } from "./srp.js";

const DAY_MS = 86_400_000;

/**
 * Throws InvalidPasswordException naming the first rule of the pool's policy that `password` breaks,
 * in the words of the calling action.
 */
export function requirePasswordPolicy(pool: PoolRecord, password: string, action: PasswordAction): void {
  const rule = checkPasswordPolicy(password, passwordPolicy(pool));
  if (rule !== undefined) throw invalidPassword(passwordPolicyMessage(action, rule));
}

/**
 * The record stored for a new password. The verifier is made with the internal username, because SRP
 * clients sign with USER_ID_FOR_SRP, which is the internal username even when the user typed an alias.
 */
export function passwordRecord(
  random: Random,
  pool: PoolRecord,
  username: string,
  password: string,
  temporary: boolean,
  now: number,
): PasswordRecord {
  const { salt, verifier } = newPasswordRecordParts(random, poolShortName(pool.id), username, password);
  return { salt, verifier, temporary, setAt: now };
}

/** Whether `password` is the user's current password (temporary or not). */
export function passwordMatches(pool: PoolRecord, user: UserRecord, password: string): boolean {
  if (!user.password) return false;
  return checkPassword({
    poolName: poolShortName(pool.id),
    username: user.username,
    password,
    salt: user.password.salt,
    verifier: user.password.verifier,
  });
}

/** A temporary password Cognito would generate for this pool: it always satisfies the pool's policy. */
export function newTemporaryPassword(random: Random, pool: PoolRecord): string {
  return generateTemporaryPassword(random, passwordPolicy(pool));
}

/** A temporary password stops working TemporaryPasswordValidityDays after it was set (AdminCreateUser resets it). */
export function temporaryPasswordExpired(pool: PoolRecord, user: UserRecord, now: number): boolean {
  const record = user.password;
  if (!record?.temporary) return false;
  return now >= record.setAt + temporaryPasswordValidityDays(pool) * DAY_MS;
}
