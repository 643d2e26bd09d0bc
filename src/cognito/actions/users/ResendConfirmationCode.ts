// ResendConfirmationCode: a new sign-up code for an unconfirmed user; the previous code stops working.

import {
  any,
  CLIENT_ID,
  CLIENT_METADATA,
  SECRET_HASH,
  USERNAME,
  validate,
} from "../../../shared/validation.js";
import { checkSecretHash, preventsUserExistenceErrors } from "../../domain/clients.js";
import { issueCode } from "../../domain/codes.js";
import { deliver, signUpDestination } from "../../domain/delivery.js";
import { loadClientAndPool, signUpCodeAttributes, simulatedDetails } from "../../domain/user-lifecycle.js";
import { findUser } from "../../domain/users.js";
import { invalidParameter, limitExceeded, MESSAGES, userNotFound } from "../../errors.js";
import type { Action } from "../context.js";

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
  const result = await ctx.store.transaction(async (tx) => {
    const { client, pool } = await loadClientAndPool(tx, input.ClientId);
    checkSecretHash(client, input.Username, input.SecretHash);
    const found = await findUser(tx, pool, input.Username);
    if (!found || (!found.user.enabled && preventsUserExistenceErrors(client))) {
      if (!preventsUserExistenceErrors(client))
        throw userNotFound("Username/client id combination not found.");
      const attributes = signUpCodeAttributes(pool);
      // A pool that sends no codes answers the same for everyone.
      if (attributes.length === 0) throw invalidParameter(NO_AUTO_VERIFICATION);
      return { simulated: simulatedDetails(pool, input.Username, attributes) };
    }
    const user = found.user;
    if (user.status !== "UNCONFIRMED") throw invalidParameter("User is already confirmed.");
    const destination = signUpDestination(pool, user);
    if (!destination) throw invalidParameter(NO_AUTO_VERIFICATION);
    const count = await tx.incrementCounter(
      `resend-confirmation:${pool.id}:${user.username}`,
      now - HOUR_MS,
      now,
    );
    if (count > RESENDS_PER_HOUR) throw limitExceeded(MESSAGES.attemptLimit);
    const code = await issueCode(tx, ctx.random, pool, user, "signup", now);
    return { sent: { pool, client, user, destination, code } };
  });

  if ("simulated" in result) return { CodeDeliveryDetails: result.simulated };
  const { pool, client, user, destination, code } = result.sent;
  await deliver(ctx, {
    pool,
    user,
    medium: destination.DeliveryMedium,
    destination: user.attributes[destination.AttributeName] ?? "",
    code,
    kind: "verification",
    reason: "ResendCode",
    clientId: client.clientId,
    clientMetadata: input.ClientMetadata,
  });
  return { CodeDeliveryDetails: destination };
};
