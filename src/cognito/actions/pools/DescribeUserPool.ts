// DescribeUserPool: the pool's whole configuration, as stored, with its user count.

import { USER_POOL_ID, validate } from "../../../shared/validation.js";
import type { Action } from "../../context.js";
import { poolWire } from "../../domain/pool-settings.js";
import { loadPool } from "../../domain/pools.js";

export const describeUserPool: Action = async (input, ctx) => {
  const { UserPoolId } = validate<{ UserPoolId: string }>(input, { UserPoolId: USER_POOL_ID });
  return ctx.store.transaction(async (tx) => {
    const pool = await loadPool(tx, UserPoolId);
    return { UserPool: poolWire(ctx.config, pool, await tx.countUsers(pool.id)) };
  });
};
