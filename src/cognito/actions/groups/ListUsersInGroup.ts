// ListUsersInGroup: a group's members as UserType, one page at a time, ordered by username.

import { GROUP_NAME, LIMIT, PAGINATION_TOKEN, USER_POOL_ID, validate } from "../../../shared/validation.js";
import type { Action } from "../../context.js";
import { requireGroup } from "../../domain/groups.js";
import { listPage, pageSize } from "../../domain/next-token.js";
import { loadPool } from "../../domain/pools.js";
import { userWire } from "../../domain/users.js";

export const listUsersInGroup: Action = async (input, ctx) => {
  const request = validate<{ UserPoolId: string; GroupName: string; Limit?: number; NextToken?: string }>(
    input,
    {
      UserPoolId: USER_POOL_ID,
      GroupName: GROUP_NAME,
      Limit: LIMIT,
      NextToken: PAGINATION_TOKEN,
    },
  );
  const page = await ctx.store.transaction(async (tx) => {
    const pool = await loadPool(tx, request.UserPoolId);
    const group = await requireGroup(tx, pool, request.GroupName);
    return listPage(request.NextToken, ctx.request.requestId, (after) =>
      tx.listUsersInGroup(pool.id, group.name, pageSize(request.Limit), after),
    );
  });
  return { Users: page.items.map((user) => userWire(user)), ...(page.next ? { NextToken: page.next } : {}) };
};
