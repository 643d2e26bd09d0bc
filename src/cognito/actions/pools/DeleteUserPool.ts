// DeleteUserPool: removes the pool with its users, clients and groups, unless deletion protection is on.

import { USER_POOL_ID, validate } from "../../../shared/validation.js";
import type { Action } from "../../context.js";
import { loadPool } from "../../domain/pools.js";
import { invalidParameter } from "../../errors.js";

export const deleteUserPool: Action = async (input, ctx) => {
  const { UserPoolId } = validate<{ UserPoolId: string }>(input, { UserPoolId: USER_POOL_ID });
  await ctx.store.transaction(async (tx) => {
    const pool = await loadPool(tx, UserPoolId);
    if (pool.settings.DeletionProtection === "ACTIVE")
      throw invalidParameter(
        "The user pool cannot be deleted because deletion protection is activated. Deletion protection must be inactivated first.",
      );
    await tx.deletePool(pool.id);
  });
  return {};
};
