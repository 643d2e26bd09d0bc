// ListGroups: a pool's groups one page at a time, ordered by name.

import { LIMIT, PAGINATION_TOKEN, USER_POOL_ID, validate } from "../../../shared/validation.js";
import type { Action } from "../../context.js";
import { groupWire } from "../../domain/groups.js";
import { listPage, pageSize } from "../../domain/next-token.js";
import { loadPool } from "../../domain/pools.js";

export const listGroups: Action = async (input, ctx) => {
  const request = validate<{ UserPoolId: string; Limit?: number; NextToken?: string }>(input, {
    UserPoolId: USER_POOL_ID,
    Limit: LIMIT,
    NextToken: PAGINATION_TOKEN,
  });
  const page = await ctx.store.transaction(async (tx) => {
    const pool = await loadPool(tx, request.UserPoolId);
    return listPage(request.NextToken, ctx.request.requestId, (after) =>
      tx.listGroups(pool.id, pageSize(request.Limit), after),
    );
  });
  return { Groups: page.items.map(groupWire), ...(page.next ? { NextToken: page.next } : {}) };
};
