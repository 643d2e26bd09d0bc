// UpdateUserPoolClient: replaces an app client's configuration; omitted members return to their defaults.

import { CLIENT_ID, USER_POOL_ID, validate } from "../../../shared/validation.js";
import type { ClientRecord } from "../../../store/model.js";
import type { Action } from "../../context.js";
import {
  clientSettings,
  clientWire,
  loadPoolClient,
  UPDATE_CLIENT_MEMBERS,
} from "../../domain/client-settings.js";
import { loadPool } from "../../domain/pools.js";

export const updateUserPoolClient: Action = async (input, ctx) => {
  const request = validate(input, {
    UserPoolId: USER_POOL_ID,
    ClientId: CLIENT_ID,
    ...UPDATE_CLIENT_MEMBERS,
  });
  const now = ctx.clock.now();
  return ctx.store.transaction(async (tx) => {
    const pool = await loadPool(tx, request.UserPoolId as string);
    const client = await loadPoolClient(tx, pool, request.ClientId as string);
    // The secret is not part of this request, and a client keeps its name unless given a new one.
    const settings = clientSettings(pool, request, {
      secret: client.settings.ClientSecret as string | undefined,
      name: (request.ClientName as string | undefined) ?? (client.settings.ClientName as string),
      verb: "updating",
    });
    const updated: ClientRecord = { ...client, settings, lastModifiedAt: now };
    await tx.putClient(updated);
    return { UserPoolClient: clientWire(updated) };
  });
};
