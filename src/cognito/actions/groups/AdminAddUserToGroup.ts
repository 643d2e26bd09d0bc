// AdminAddUserToGroup: makes a user a member of a group (again is a no-op).

import { GROUP_NAME, USER_POOL_ID, USERNAME, validate } from "../../../shared/validation.js";
import type { Action } from "../../context.js";
import { addMember, requireGroup } from "../../domain/groups.js";
import { loadPool } from "../../domain/pools.js";
import { requireUser } from "../../domain/users.js";

export const adminAddUserToGroup: Action = async (input, ctx) => {
  const request = validate<{ UserPoolId: string; Username: string; GroupName: string }>(input, {
    UserPoolId: USER_POOL_ID,
    Username: USERNAME,
    GroupName: GROUP_NAME,
  });
  await ctx.store.transaction(async (tx) => {
    const pool = await loadPool(tx, request.UserPoolId);
    const group = await requireGroup(tx, pool, request.GroupName);
    const user = await requireUser(tx, pool, request.Username);
    await addMember(tx, group, user);
  });
  return {};
};
