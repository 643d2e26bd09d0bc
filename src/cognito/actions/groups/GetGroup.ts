// GetGroup: one group of the pool.

import { GROUP_NAME, USER_POOL_ID, validate } from "../../../shared/validation.js";
import type { Action } from "../../context.js";
import { groupWire, requireGroup } from "../../domain/groups.js";
import { loadPool } from "../../domain/pools.js";

export const getGroup: Action = async (input, ctx) => {
  const request = validate<{ GroupName: string; UserPoolId: string }>(input, {
    GroupName: GROUP_NAME,
    UserPoolId: USER_POOL_ID,
  });
  return ctx.store.transaction(async (tx) => {
    const pool = await loadPool(tx, request.UserPoolId);
    return { Group: groupWire(await requireGroup(tx, pool, request.GroupName)) };
  });
};
