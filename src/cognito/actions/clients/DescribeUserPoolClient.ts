// DescribeUserPoolClient: an app client's configuration, secret included.

import { CLIENT_ID, USER_POOL_ID, validate } from "../../../shared/validation.js";
import type { Action } from "../../context.js";
import { clientWire, loadPoolClient } from "../../domain/client-settings.js";
import { loadPool } from "../../domain/pools.js";

export const describeUserPoolClient: Action = async (input, ctx) => {
  const request = validate<{ UserPoolId: string; ClientId: string }>(input, {
    UserPoolId: USER_POOL_ID,
    ClientId: CLIENT_ID,
  });
  return ctx.store.transaction(async (tx) => {
    const pool = await loadPool(tx, request.UserPoolId);
    return { UserPoolClient: clientWire(await loadPoolClient(tx, pool, request.ClientId)) };
  });
};
