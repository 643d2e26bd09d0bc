// DeleteGroup: removes a group and every membership in it (the users stay).

import { GROUP_NAME, USER_POOL_ID, validate } from "../../../shared/validation.js";
import type { Action } from "../../context.js";
import { requireGroup } from "../../domain/groups.js";
import { loadPool } from "../../domain/pools.js";

export const deleteGroup: Action = async (input, ctx) => {
  const request = validate<{ GroupName: string; UserPoolId: string }>(input, {
    GroupName: GROUP_NAME,
    UserPoolId: USER_POOL_ID,
  });
  await ctx.store.transaction(async (tx) => {
    const pool = await loadPool(tx, request.UserPoolId);
    const group = await requireGroup(tx, pool, request.GroupName);
    await tx.deleteGroup(pool.id, group.name);
  });
  return {};
};
