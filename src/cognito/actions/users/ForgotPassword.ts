// ForgotPassword: sends a reset code to the user's recovery channel; unknown users may be migrated in first.

import {
  any,
  CLIENT_ID,
  CLIENT_METADATA,
  SECRET_HASH,
  USERNAME,
  validate,
} from "../../../shared/validation.js";
import type { ClientRecord, PoolRecord, UserRecord } from "../../../store/model.js";
import type { StoreTx } from "../../../store/port.js";
import type { Action, ActionContext } from "../../context.js";
import { checkSecretHash, preventsUserExistenceErrors } from "../../domain/clients.js";
import {
  composeMessages,
  type Outgoing,
  recordMessages,
  sendMessages,
  welcomeMessages,
} from "../../domain/messages.js";
import {
  migrateForRecovery,
  type RecoveryStart,
  resetCode,
  simulatedRecovery,
  startRecovery,
  storeMigratedUser,
} from "../../domain/recovery.js";
import { loadClientAndPool } from "../../domain/user-lifecycle.js";
import { findUser } from "../../domain/users.js";
import { userNotFound } from "../../errors.js";

interface Input {
  ClientId: string;
  SecretHash?: string;
  Username: string;
  ClientMetadata?: Record<string, string>;
}

const NOT_FOUND = "Username/client id combination not found.";

/** A user migrated in by UserMigration_ForgotPassword, stored with the reset code's message. */
interface Migrated {
  user: UserRecord;
  forceAliasCreation: boolean;
  response: Record<string, unknown>;
}

/** The recovery of the user the name finds now, or undefined when it finds none. */
async function existingRecovery(
  tx: StoreTx,
  pool: PoolRecord,
  client: ClientRecord,
  typed: string,
): Promise<RecoveryStart | undefined> {
  const found = await findUser(tx, pool, typed);
  return found ? startRecovery(pool, client, found.user, typed) : undefined;
}

/**
 * The write, which returns the recovery as it finds it: a migrated user is stored with their welcome
 * messages; for a user who was there the checks run again (they may have changed, or gone, while
 * CustomMessage ran). Then the reset code is stored with its message.
 */
async function commitRecovery(
  ctx: ActionContext,
  call: { pool: PoolRecord; client: ClientRecord; typed: string },
  start: RecoveryStart,
  migrated: Migrated | undefined,
  outgoing: Outgoing,
): Promise<RecoveryStart | undefined> {
  const { pool, client, typed } = call;
  return ctx.store.transaction(async (tx) => {
    let current: RecoveryStart | undefined = start;
    if (migrated) {
      await storeMigratedUser(tx, pool, migrated.user, migrated.forceAliasCreation);
      for (const message of welcomeMessages(ctx, pool, migrated.user, migrated.response))
        await tx.addOutboxMessage(message);
    } else {
      current = await existingRecovery(tx, pool, client, typed);
    }
    if (current?.kind === "send") await recordMessages(tx, ctx, outgoing);
    return current;
  });
}

export const forgotPassword: Action = async (raw, ctx) => {
  const input = validate<Input>(raw, {
    ClientId: CLIENT_ID,
    SecretHash: SECRET_HASH,
    Username: USERNAME,
    ClientMetadata: CLIENT_METADATA,
    AnalyticsMetadata: any,
    UserContextData: any,
  });

  const { client, pool, found } = await ctx.store.transaction(async (tx) => {
    const { client, pool } = await loadClientAndPool(tx, input.ClientId);
    checkSecretHash(client, input.Username, input.SecretHash);
    return { client, pool, found: await existingRecovery(tx, pool, client, input.Username) };
  });
  // Nobody answers to the name: UserMigration_ForgotPassword may bring the user in from elsewhere.
  const migrated = found
    ? undefined
    : await migrateForRecovery(ctx, pool, client, input.Username, input.ClientMetadata);
  const start = found ?? (migrated && startRecovery(pool, client, migrated.user, input.Username));
  if (!start) return unknownUser(client, pool, input.Username);
  if (start.kind === "simulated" && !migrated) return { CodeDeliveryDetails: start.details };

  const call = { clientId: client.clientId, clientMetadata: input.ClientMetadata };
  const code = start.kind === "send" ? resetCode(ctx, pool, start.user, start.destination, call) : undefined;
  const outgoing = await composeMessages(ctx, code ? [code] : []);
  const current = await commitRecovery(
    ctx,
    { pool, client, typed: input.Username },
    start,
    migrated,
    outgoing,
  );
  if (!current) return unknownUser(client, pool, input.Username);
  if (current.kind === "simulated") return { CodeDeliveryDetails: current.details };
  await sendMessages(ctx, outgoing);
  // Where the message went, even if the user changed their address while it was composed.
  return { CodeDeliveryDetails: start.kind === "send" ? start.destination : current.destination };
};

/** The answer for a name nobody answers to: hidden under PreventUserExistenceErrors, else not found. */
function unknownUser(client: ClientRecord, pool: PoolRecord, typed: string): Record<string, unknown> {
  if (!preventsUserExistenceErrors(client)) throw userNotFound(NOT_FOUND);
  return { CodeDeliveryDetails: simulatedRecovery(pool, typed).details };
}
