// ListUserPoolClients: a pool's app clients (id, pool, name) one page at a time.

import { int, PAGINATION_TOKEN, USER_POOL_ID, validate } from "../../../shared/validation.js";
import type { Action } from "../../context.js";
import { clientDescription } from "../../domain/client-settings.js";
import { listPage, pageSize } from "../../domain/next-token.js";
import { loadPool } from "../../domain/pools.js";

export const listUserPoolClients: Action = async (input, ctx) => {
  const request = validate<{ UserPoolId: string; MaxResults?: number; NextToken?: string }>(input, {
    UserPoolId: USER_POOL_ID,
    MaxResults: int({ min: 1, max: 60 }),
    NextToken: PAGINATION_TOKEN,
  });
  const page = await ctx.store.transaction(async (tx) => {
    const pool = await loadPool(tx, request.UserPoolId);
    return listPage(request.NextToken, ctx.request.requestId, (after) =>
      tx.listClients(pool.id, pageSize(request.MaxResults), after),
    );
  });
  return {
    UserPoolClients: page.items.map(clientDescription),
    ...(page.next ? { NextToken: page.next } : {}),
  };
};
