// ListUsers: a page of a pool's users, optionally filtered on one attribute, sorted by it.

import { LIMIT, list, PAGINATION_TOKEN, str, USER_POOL_ID, validate } from "../../../shared/validation.js";
import { InvalidCursor } from "../../../store/errors.js";
import type { Action } from "../../context.js";
import { parseFilter, storeFilter } from "../../domain/list-users-filter.js";
import { loadPool } from "../../domain/pools.js";
import { userWire } from "../../domain/users.js";
import { invalidParameter } from "../../errors.js";

interface Input {
  UserPoolId: string;
  AttributesToGet?: string[];
  Limit?: number;
  PaginationToken?: string;
  Filter?: string;
}

const DEFAULT_LIMIT = 60;

export const listUsers: Action = async (raw, ctx) => {
  const input = validate<Input>(raw, {
    UserPoolId: USER_POOL_ID,
    AttributesToGet: list(
      str({
        min: 1,
        max: 32,
        pattern: /^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u,
        patternText: "[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+",
      }),
    ),
    Limit: LIMIT,
    PaginationToken: PAGINATION_TOKEN,
    Filter: str({ max: 256 }),
  });
  const page = await ctx.store.transaction(async (tx) => {
    const pool = await loadPool(tx, input.UserPoolId);
    const parsed = parseFilter(input.Filter);
    const filter = parsed ? storeFilter(pool, parsed) : undefined;
    // Limit 0 passes the model's range; it is taken as "no preference", as the default.
    const limit = input.Limit ? input.Limit : DEFAULT_LIMIT;
    try {
      return await tx.listUsers(pool.id, filter, limit, input.PaginationToken);
    } catch (error) {
      if (error instanceof InvalidCursor) throw invalidParameter("Invalid pagination token");
      throw error;
    }
  });
  return {
    Users: page.items.map((user) => userWire(user, "Attributes", input.AttributesToGet)),
    ...(page.next ? { PaginationToken: page.next } : {}),
  };
};
