// AdminEnableUser: a disabled user may sign in again.

import { USER_POOL_ID, USERNAME, validate } from "../../../shared/validation.js";
import type { Action } from "../../context.js";
import { loadPool } from "../../domain/pools.js";
import { saveUser } from "../../domain/user-lifecycle.js";
import { requireUser } from "../../domain/users.js";

export const adminEnableUser: Action = async (raw, ctx) => {
  const input = validate<{ UserPoolId: string; Username: string }>(raw, {
    UserPoolId: USER_POOL_ID,
    Username: USERNAME,
  });
  const now = ctx.clock.now();
  await ctx.store.transaction(async (tx) => {
    const pool = await loadPool(tx, input.UserPoolId);
    const user = await requireUser(tx, pool, input.Username);
    await saveUser(tx, pool, { ...user, enabled: true, lastModifiedAt: now });
  });
  return {};
};
