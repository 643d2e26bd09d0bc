// AdminGetUser: a user as an administrator sees them, found by username, alias or sub.

import { USER_POOL_ID, USERNAME, validate } from "../../../shared/validation.js";
import type { Action } from "../../context.js";
import { loadPool } from "../../domain/pools.js";
import { requireUser, userWire } from "../../domain/users.js";

export const adminGetUser: Action = async (raw, ctx) => {
  const input = validate<{ UserPoolId: string; Username: string }>(raw, {
    UserPoolId: USER_POOL_ID,
    Username: USERNAME,
  });
  const user = await ctx.store.transaction(async (tx) =>
    requireUser(tx, await loadPool(tx, input.UserPoolId), input.Username),
  );
  // MFAOptions, PreferredMfaSetting and UserMFASettingList are only present once MFA was set up.
  return userWire(user, "UserAttributes");
};
