// ResendConfirmationCode: a new sign-up code for an unconfirmed user; the previous code stops working.

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
import type { Action } from "../../context.js";
import { checkSecretHash, preventsUserExistenceErrors } from "../../domain/clients.js";
import { type CodeDeliveryDetails, signUpDestination } from "../../domain/delivery.js";
import { codeDelivery, composeMessages, recordMessages, sendMessages } from "../../domain/messages.js";
import { loadClientAndPool, signUpCodeAttributes, simulatedDetails } from "../../domain/user-lifecycle.js";
import { findUser } from "../../domain/users.js";
import { invalidParameter, limitExceeded, MESSAGES, userNotFound } from "../../errors.js";

interface Input {
  ClientId: string;
  SecretHash?: string;
  Username: string;
  ClientMetadata?: Record<string, string>;
}

/** Cognito's published per-user quota for this operation. */
const RESENDS_PER_HOUR = 5;
const HOUR_MS = 3_600_000;

const NO_AUTO_VERIFICATION = "Cannot resend codes. Auto verification not turned on.";

type Target =
  | { simulated: CodeDeliveryDetails }
  | { pool: PoolRecord; client: ClientRecord; user: UserRecord; destination: CodeDeliveryDetails };

/** Who gets the new code, or the answer for a user that is not there (PreventUserExistenceErrors). */
async function target(tx: StoreTx, input: Input): Promise<Target> {
  const { client, pool } = await loadClientAndPool(tx, input.ClientId);
  checkSecretHash(client, input.Username, input.SecretHash);
  const found = await findUser(tx, pool, input.Username);
  if (!found || (!found.user.enabled && preventsUserExistenceErrors(client))) {
    if (!preventsUserExistenceErrors(client)) throw userNotFound("Username/client id combination not found.");
    const attributes = signUpCodeAttributes(pool);
    // A pool that sends no codes answers the same for everyone.
    if (attributes.length === 0) throw invalidParameter(NO_AUTO_VERIFICATION);
    return { simulated: simulatedDetails(pool, input.Username, attributes) };
  }
  const user = found.user;
  if (user.status !== "UNCONFIRMED") throw invalidParameter("User is already confirmed.");
  const destination = signUpDestination(pool, user);
  if (!destination) throw invalidParameter(NO_AUTO_VERIFICATION);
  return { pool, client, user, destination };
}

export const resendConfirmationCode: Action = async (raw, ctx) => {
  const input = validate<Input>(raw, {
    ClientId: CLIENT_ID,
    SecretHash: SECRET_HASH,
    Username: USERNAME,
    ClientMetadata: CLIENT_METADATA,
    AnalyticsMetadata: any,
    UserContextData: any,
  });

  const now = ctx.clock.now();
  const found = await ctx.store.transaction(async (tx) => {
    const found = await target(tx, input);
    if ("simulated" in found) return found;
    const key = `resend-confirmation:${found.pool.id}:${found.user.username}`;
    if ((await tx.incrementCounter(key, now - HOUR_MS, now)) > RESENDS_PER_HOUR)
      throw limitExceeded(MESSAGES.attemptLimit);
    return found;
  });
  if ("simulated" in found) return { CodeDeliveryDetails: found.simulated };

  const { pool, client, user, destination } = found;
  const outgoing = await composeMessages(ctx, [
    codeDelivery(ctx, pool, user, destination, {
      purpose: "signup",
      reason: "ResendCode",
      clientId: client.clientId,
      clientMetadata: input.ClientMetadata,
    }),
  ]);
  // The previous code keeps working until the new one commits with its message; the user is checked
  // again, as they may have been confirmed while CustomMessage ran.
  const again = await ctx.store.transaction(async (tx) => {
    const again = await target(tx, input);
    if (!("simulated" in again)) await recordMessages(tx, ctx, outgoing);
    return again;
  });
  if ("simulated" in again) return { CodeDeliveryDetails: again.simulated };
  await sendMessages(ctx, outgoing);
  return { CodeDeliveryDetails: destination };
};
