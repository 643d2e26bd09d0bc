// AdminConfirmSignUp: an administrator confirms an unconfirmed user without a code (attributes stay unverified).

import { CLIENT_METADATA, USER_POOL_ID, USERNAME, validate } from "../../../shared/validation.js";
import type { UserRecord } from "../../../store/model.js";
import type { Action } from "../../context.js";
import { loadPool } from "../../domain/pools.js";
import { runPostConfirmation } from "../../domain/signup.js";
import { saveUser } from "../../domain/user-lifecycle.js";
import { requireUser } from "../../domain/users.js";
import { notAuthorized } from "../../errors.js";

interface Input {
  UserPoolId: string;
  Username: string;
  ClientMetadata?: Record<string, string>;
}

export const adminConfirmSignUp: Action = async (raw, ctx) => {
  const input = validate<Input>(raw, {
    UserPoolId: USER_POOL_ID,
    Username: USERNAME,
    ClientMetadata: CLIENT_METADATA,
  });
  const now = ctx.clock.now();
  const { pool, user } = await ctx.store.transaction(async (tx) => {
    const pool = await loadPool(tx, input.UserPoolId);
    const user = await requireUser(tx, pool, input.Username);
    if (user.status !== "UNCONFIRMED")
      throw notAuthorized(`User cannot be confirmed. Current status is ${user.status}`);
    const confirmed: UserRecord = { ...user, status: "CONFIRMED", lastModifiedAt: now };
    await saveUser(tx, pool, confirmed);
    // The sign-up code has nothing left to confirm.
    await tx.deleteCode(pool.id, user.username, "signup");
    return { pool, user: confirmed };
  });
  await runPostConfirmation(
    ctx,
    pool,
    user,
    "PostConfirmation_ConfirmSignUp",
    undefined,
    input.ClientMetadata,
  );
  return {};
};
