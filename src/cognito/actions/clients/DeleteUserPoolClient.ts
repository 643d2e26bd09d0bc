// DeleteUserPoolClient: removes an app client of the pool.

import { CLIENT_ID, USER_POOL_ID, validate } from "../../../shared/validation.js";
import type { Action } from "../../context.js";
import { loadPoolClient } from "../../domain/client-settings.js";
import { loadPool } from "../../domain/pools.js";

export const deleteUserPoolClient: Action = async (input, ctx) => {
  const request = validate<{ UserPoolId: string; ClientId: string }>(input, {
    UserPoolId: USER_POOL_ID,
    ClientId: CLIENT_ID,
  });
  await ctx.store.transaction(async (tx) => {
    const pool = await loadPool(tx, request.UserPoolId);
    const client = await loadPoolClient(tx, pool, request.ClientId);
    await tx.deleteClient(client.clientId);
  });
  return {};
};
