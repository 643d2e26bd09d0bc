// CreateUserPoolClient: a new app client with a generated id, an optional secret and Cognito's defaults.

import { USER_POOL_ID, validate } from "../../../shared/validation.js";
import type { ClientRecord } from "../../../store/model.js";
import type { Action } from "../../context.js";
import {
  CREATE_CLIENT_MEMBERS,
  clientSettings,
  clientWire,
  newClientId,
  requestedSecret,
} from "../../domain/client-settings.js";
import { loadPool } from "../../domain/pools.js";

export const createUserPoolClient: Action = async (input, ctx) => {
  const request = validate(input, { UserPoolId: USER_POOL_ID, ...CREATE_CLIENT_MEMBERS });
  const now = ctx.clock.now();
  return ctx.store.transaction(async (tx) => {
    const pool = await loadPool(tx, request.UserPoolId as string);
    const secret = requestedSecret(ctx.random, request);
    const settings = clientSettings(pool, request, {
      secret,
      name: request.ClientName as string,
      verb: "creating",
    });
    const client: ClientRecord = {
      clientId: await newClientId(tx, ctx.random),
      poolId: pool.id,
      settings,
      createdAt: now,
      lastModifiedAt: now,
    };
    await tx.putClient(client);
    return { UserPoolClient: clientWire(client) };
  });
};
