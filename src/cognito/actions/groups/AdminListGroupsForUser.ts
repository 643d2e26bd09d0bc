// AdminListGroupsForUser: the groups a user belongs to, one page at a time, ordered by name.

import { LIMIT, PAGINATION_TOKEN, USER_POOL_ID, USERNAME, validate } from "../../../shared/validation.js";
import type { Action } from "../../context.js";
import { groupWire } from "../../domain/groups.js";
import { listPage, pageSize } from "../../domain/next-token.js";
import { loadPool } from "../../domain/pools.js";
import { requireUser } from "../../domain/users.js";

export const adminListGroupsForUser: Action = async (input, ctx) => {
  const request = validate<{ Username: string; UserPoolId: string; Limit?: number; NextToken?: string }>(
    input,
    {
      Username: USERNAME,
      UserPoolId: USER_POOL_ID,
      Limit: LIMIT,
      NextToken: PAGINATION_TOKEN,
    },
  );
  const page = await ctx.store.transaction(async (tx) => {
    const pool = await loadPool(tx, request.UserPoolId);
    const user = await requireUser(tx, pool, request.Username);
    return listPage(request.NextToken, ctx.request.requestId, (after) =>
      tx.listGroupsForUser(pool.id, user.username, pageSize(request.Limit), after),
    );
  });
  return { Groups: page.items.map(groupWire), ...(page.next ? { NextToken: page.next } : {}) };
};
