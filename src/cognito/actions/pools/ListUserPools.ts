// ListUserPools: pools one page at a time (MaxResults is required), ordered by id.

import { int, PAGINATION_TOKEN, validate } from "../../../shared/validation.js";
import type { Action } from "../../context.js";
import { listPage } from "../../domain/next-token.js";
import { poolDescription } from "../../domain/pool-settings.js";

export const listUserPools: Action = async (input, ctx) => {
  const { MaxResults, NextToken } = validate<{ MaxResults: number; NextToken?: string }>(input, {
    NextToken: PAGINATION_TOKEN,
    MaxResults: int({ required: true, min: 1, max: 60 }),
  });
  const page = await ctx.store.transaction((tx) =>
    listPage(NextToken, ctx.request.requestId, (after) => tx.listPools(MaxResults, after)),
  );
  return { UserPools: page.items.map(poolDescription), ...(page.next ? { NextToken: page.next } : {}) };
};
