// ConfirmForgotPassword: the reset code and a new password; the user becomes CONFIRMED with that password.

import {
  any,
  CLIENT_ID,
  CLIENT_METADATA,
  CODE,
  PASSWORD,
  SECRET_HASH,
  USERNAME,
  validate,
} from "../../../shared/validation.js";
import type { UserRecord } from "../../../store/model.js";
import type { Action } from "../../context.js";
import { checkSecretHash, preventsUserExistenceErrors } from "../../domain/clients.js";
import { checkCode } from "../../domain/codes.js";
import { passwordRecord, requirePasswordPolicy } from "../../domain/passwords.js";
import { runPostConfirmation } from "../../domain/signup.js";
import { loadClientAndPool, saveUser } from "../../domain/user-lifecycle.js";
import { findUser } from "../../domain/users.js";
import { codeMismatch, MESSAGES, userNotFound } from "../../errors.js";

interface Input {
  ClientId: string;
  SecretHash?: string;
  Username: string;
  ConfirmationCode: string;
  Password: string;
  ClientMetadata?: Record<string, string>;
}

export const confirmForgotPassword: Action = async (raw, ctx) => {
  const input = validate<Input>(raw, {
    ClientId: CLIENT_ID,
    SecretHash: SECRET_HASH,
    Username: USERNAME,
    ConfirmationCode: CODE,
    Password: PASSWORD(true),
    ClientMetadata: CLIENT_METADATA,
    AnalyticsMetadata: any,
    UserContextData: any,
  });

  const now = ctx.clock.now();
  const result = await ctx.store.transaction(async (tx) => {
    const { client, pool } = await loadClientAndPool(tx, input.ClientId);
    checkSecretHash(client, input.Username, input.SecretHash);
    const found = await findUser(tx, pool, input.Username);
    const hide = preventsUserExistenceErrors(client);
    if (!found || (hide && !found.user.enabled)) {
      if (hide) throw codeMismatch(MESSAGES.codeMismatch);
      throw userNotFound("Username/client id combination not found.");
    }
    requirePasswordPolicy(pool, input.Password, "ConfirmForgotPassword");
    const user = found.user;
    const check = await checkCode(tx, pool, user, "forgot-password", input.ConfirmationCode, now);
    if (!check.ok) return { error: check.error };
    const updated: UserRecord = {
      ...user,
      status: "CONFIRMED",
      password: passwordRecord(ctx.random, pool, user.username, input.Password, false, now),
      lastModifiedAt: now,
    };
    await saveUser(tx, pool, updated);
    return { pool, client, user: updated };
  });
  // A wrong code's counted attempt had to commit before the error is thrown.
  if ("error" in result) throw result.error;

  await runPostConfirmation(
    ctx,
    result.pool,
    result.user,
    "PostConfirmation_ConfirmForgotPassword",
    result.client.clientId,
    input.ClientMetadata,
  );
  return {};
};
