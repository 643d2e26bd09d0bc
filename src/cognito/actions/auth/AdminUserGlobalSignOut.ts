// AdminUserGlobalSignOut: signs a user out everywhere (every refresh token, so every access token, revoked).

import { USER_POOL_ID, USERNAME, validate } from "../../../shared/validation.js";
import type { Action } from "../../context.js";
import { loadPool } from "../../domain/pools.js";
import { requireUser } from "../../domain/users.js";

export const adminUserGlobalSignOut: Action = async (raw, ctx) => {
  const input = validate<{ UserPoolId: string; Username: string }>(raw, {
    UserPoolId: USER_POOL_ID,
    Username: USERNAME,
  });
  await ctx.store.transaction(async (tx) => {
    const pool = await loadPool(tx, input.UserPoolId);
    const user = await requireUser(tx, pool, input.Username);
    await tx.revokeUserRefreshTokens(pool.id, user.username);
  });
  return {};
};
