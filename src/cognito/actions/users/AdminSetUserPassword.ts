// AdminSetUserPassword: Permanent=true sets a password and confirms; otherwise it is a temporary password to change.

import { bool, PASSWORD, USER_POOL_ID, USERNAME, validate } from "../../../shared/validation.js";
import type { UserRecord } from "../../../store/model.js";
import type { Action } from "../../context.js";
import { passwordRecord, requirePasswordPolicy } from "../../domain/passwords.js";
import { loadPool } from "../../domain/pools.js";
import { saveUser } from "../../domain/user-lifecycle.js";
import { requireUser } from "../../domain/users.js";

interface Input {
  UserPoolId: string;
  Username: string;
  Password: string;
  Permanent?: boolean;
}

export const adminSetUserPassword: Action = async (raw, ctx) => {
  const input = validate<Input>(raw, {
    UserPoolId: USER_POOL_ID,
    Username: USERNAME,
    Password: PASSWORD(true),
    Permanent: bool(),
  });
  const now = ctx.clock.now();
  await ctx.store.transaction(async (tx) => {
    const pool = await loadPool(tx, input.UserPoolId);
    const user = await requireUser(tx, pool, input.Username);
    requirePasswordPolicy(pool, input.Password, "AdminSetUserPassword");
    const permanent = input.Permanent === true;
    const updated: UserRecord = {
      ...user,
      // A temporary password forces a change at next sign-in, even for a user who was confirmed.
      status: permanent ? "CONFIRMED" : "FORCE_CHANGE_PASSWORD",
      password: passwordRecord(ctx.random, pool, user.username, input.Password, !permanent, now),
      lastModifiedAt: now,
    };
    await saveUser(tx, pool, updated);
    // An outstanding reset code would otherwise still replace the password just set.
    await tx.deleteCode(pool.id, user.username, "forgot-password");
  });
  return {};
};
