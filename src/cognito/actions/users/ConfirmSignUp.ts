// ConfirmSignUp: the user proves the sign-up code; they become CONFIRMED and the code's attribute verified.

import {
  any,
  bool,
  CLIENT_ID,
  CLIENT_METADATA,
  CODE,
  SECRET_HASH,
  str,
  USERNAME,
  validate,
} from "../../../shared/validation.js";
import type { UserRecord } from "../../../store/model.js";
import type { Action } from "../../context.js";
import { checkSecretHash, preventsUserExistenceErrors } from "../../domain/clients.js";
import { checkCode } from "../../domain/codes.js";
import { VERIFIED_FLAGS } from "../../domain/schema.js";
import { runPostConfirmation, signUpVerifiedAttribute } from "../../domain/signup.js";
import { loadClientAndPool, saveUser, takeAliases } from "../../domain/user-lifecycle.js";
import { findUser } from "../../domain/users.js";
import { codeMismatch, MESSAGES, notAuthorized, userNotFound } from "../../errors.js";

interface Input {
  ClientId: string;
  SecretHash?: string;
  Username: string;
  ConfirmationCode: string;
  ForceAliasCreation?: boolean;
  ClientMetadata?: Record<string, string>;
}

export const confirmSignUp: Action = async (raw, ctx) => {
  const input = validate<Input>(raw, {
    ClientId: CLIENT_ID,
    SecretHash: SECRET_HASH,
    Username: USERNAME,
    ConfirmationCode: CODE,
    ForceAliasCreation: bool(),
    ClientMetadata: CLIENT_METADATA,
    AnalyticsMetadata: any,
    UserContextData: any,
    Session: str({ min: 20, max: 2048 }),
  });

  const now = ctx.clock.now();
  const result = await ctx.store.transaction(async (tx) => {
    const { client, pool } = await loadClientAndPool(tx, input.ClientId);
    checkSecretHash(client, input.Username, input.SecretHash);
    const found = await findUser(tx, pool, input.Username);
    if (!found) {
      // Hiding whether the user exists: the answer a wrong code would get.
      if (preventsUserExistenceErrors(client)) throw codeMismatch(MESSAGES.codeMismatch);
      throw userNotFound(MESSAGES.userNotFound);
    }
    const user = found.user;
    if (user.status !== "UNCONFIRMED")
      throw notAuthorized(`User cannot be confirmed. Current status is ${user.status}`);
    const check = await checkCode(tx, pool, user, "signup", input.ConfirmationCode, now);
    if (!check.ok) return { error: check.error };

    const attributes = { ...user.attributes };
    const verified = signUpVerifiedAttribute(pool, user);
    const flag = verified ? VERIFIED_FLAGS[verified] : undefined;
    if (flag) attributes[flag] = "true";
    const confirmed: UserRecord = { ...user, attributes, status: "CONFIRMED", lastModifiedAt: now };
    // A verified email/phone alias held by another user: AliasExistsException unless ForceAliasCreation.
    if (input.ForceAliasCreation) await takeAliases(tx, pool, confirmed, now);
    await saveUser(tx, pool, confirmed);
    return { pool, client, user: confirmed };
  });
  // A wrong code's counted attempt had to commit before the error is thrown.
  if ("error" in result) throw result.error;

  await runPostConfirmation(
    ctx,
    result.pool,
    result.user,
    "PostConfirmation_ConfirmSignUp",
    result.client.clientId,
    input.ClientMetadata,
  );
  return {};
};
