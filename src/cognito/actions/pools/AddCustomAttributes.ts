// AddCustomAttributes: appends custom attributes to a pool's schema; they can never be removed or changed.

import { USER_POOL_ID, validate } from "../../../shared/validation.js";
import type { Action } from "../../context.js";
import { SCHEMA, schemaAttributes, withCustomAttributes } from "../../domain/pool-settings.js";
import { loadPool } from "../../domain/pools.js";

export const addCustomAttributes: Action = async (input, ctx) => {
  const request = validate<{ UserPoolId: string; CustomAttributes: Record<string, unknown>[] }>(input, {
    UserPoolId: USER_POOL_ID,
    CustomAttributes: SCHEMA({ required: true, max: 25 }),
  });
  const now = ctx.clock.now();
  await ctx.store.transaction(async (tx) => {
    const pool = await loadPool(tx, request.UserPoolId);
    const SchemaAttributes = withCustomAttributes(schemaAttributes(pool), request.CustomAttributes);
    await tx.putPool({ ...pool, settings: { ...pool.settings, SchemaAttributes }, lastModifiedAt: now });
  });
  return {};
};
