// UpdateUserPool: replaces the pool's updatable configuration; whatever the request omits returns to its default.

import { USER_POOL_ID, validate } from "../../../shared/validation.js";
import type { Action } from "../../context.js";
import { UPDATE_USER_POOL_MEMBERS, updatePoolSettings } from "../../domain/pool-settings.js";
import { loadPool } from "../../domain/pools.js";

export const updateUserPool: Action = async (input, ctx) => {
  const request = validate(input, { UserPoolId: USER_POOL_ID, ...UPDATE_USER_POOL_MEMBERS });
  const now = ctx.clock.now();
  await ctx.store.transaction(async (tx) => {
    const pool = await loadPool(tx, request.UserPoolId as string);
    const settings = updatePoolSettings(pool.settings, request);
    // The name is the one member an omission does not reset: a pool always has one.
    const name = typeof request.PoolName === "string" ? request.PoolName : pool.name;
    await tx.putPool({ ...pool, name, settings, lastModifiedAt: now });
  });
  return {};
};
