// ForgotPassword: sends a reset code to the user's recovery channel; unknown users may be migrated in first.

import {
  any,
  CLIENT_ID,
  CLIENT_METADATA,
  SECRET_HASH,
  USERNAME,
  validate,
} from "../../../shared/validation.js";
import { checkSecretHash, preventsUserExistenceErrors } from "../../domain/clients.js";
import { deliver, deliverWelcome } from "../../domain/delivery.js";
import {
  migrateForRecovery,
  type RecoveryStart,
  simulatedRecovery,
  startRecovery,
  storeMigratedUser,
} from "../../domain/recovery.js";
import { loadClientAndPool } from "../../domain/user-lifecycle.js";
import { findUser } from "../../domain/users.js";
import { userNotFound } from "../../errors.js";
import type { Action } from "../context.js";

interface Input {
  ClientId: string;
  SecretHash?: string;
  Username: string;
  ClientMetadata?: Record<string, string>;
}

const NOT_FOUND = "Username/client id combination not found.";

export const forgotPassword: Action = async (raw, ctx) => {
  const input = validate<Input>(raw, {
    ClientId: CLIENT_ID,
    SecretHash: SECRET_HASH,
    Username: USERNAME,
    ClientMetadata: CLIENT_METADATA,
    AnalyticsMetadata: any,
    UserContextData: any,
  });

  const first = await ctx.store.transaction(async (tx) => {
    const { client, pool } = await loadClientAndPool(tx, input.ClientId);
    checkSecretHash(client, input.Username, input.SecretHash);
    const found = await findUser(tx, pool, input.Username);
    const start = found ? await startRecovery(tx, ctx, pool, client, found.user, input.Username) : undefined;
    return { client, pool, start };
  });
  const { client, pool } = first;
  let start: RecoveryStart | undefined = first.start;

  if (!start) {
    // Nobody answers to the name: UserMigration_ForgotPassword may bring the user in from elsewhere.
    const migrated = await migrateForRecovery(ctx, pool, client, input.Username, input.ClientMetadata);
    if (migrated) {
      start = await ctx.store.transaction(async (tx) => {
        await storeMigratedUser(tx, pool, migrated.user, migrated.forceAliasCreation);
        return startRecovery(tx, ctx, pool, client, migrated.user, input.Username);
      });
      await deliverWelcome(ctx, pool, migrated.user, migrated.response);
    } else if (preventsUserExistenceErrors(client)) {
      start = simulatedRecovery(pool, input.Username);
    } else {
      throw userNotFound(NOT_FOUND);
    }
  }

  if (start.kind === "simulated") return { CodeDeliveryDetails: start.details };
  await deliver(ctx, {
    pool,
    user: start.user,
    medium: start.destination.DeliveryMedium,
    destination: start.user.attributes[start.destination.AttributeName] ?? "",
    code: start.code,
    kind: "verification",
    reason: "ForgotPassword",
    clientId: client.clientId,
    clientMetadata: input.ClientMetadata,
  });
  return { CodeDeliveryDetails: start.destination };
};
