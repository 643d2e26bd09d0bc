// CreateUserPool: a new pool with Cognito's default for every setting the request leaves out.

import { validate } from "../../../shared/validation.js";
import type { PoolRecord } from "../../../store/model.js";
import type { Action } from "../../context.js";
import {
  CREATE_USER_POOL_MEMBERS,
  createPoolSettings,
  newPoolId,
  poolWire,
} from "../../domain/pool-settings.js";

export const createUserPool: Action = async (input, ctx) => {
  const request = validate(input, CREATE_USER_POOL_MEMBERS);
  const settings = createPoolSettings(request);
  const now = ctx.clock.now();
  return ctx.store.transaction(async (tx) => {
    const pool: PoolRecord = {
      id: await newPoolId(tx, ctx.random, ctx.config.region),
      name: request.PoolName as string,
      settings,
      createdAt: now,
      lastModifiedAt: now,
    };
    await tx.putPool(pool);
    return { UserPool: poolWire(ctx.config, pool, 0) };
  });
};
