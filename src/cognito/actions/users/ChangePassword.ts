// ChangePassword: the signed-in user replaces their password, proving the current one.

import { ACCESS_TOKEN, PASSWORD, validate } from "../../../shared/validation.js";
import type { Action } from "../../context.js";
import { authenticateAccessToken } from "../../domain/access.js";
import { hourWindowStart } from "../../domain/auth-self-service.js";
import { requirePasswordPolicy } from "../../domain/passwords.js";
import { poolShortName } from "../../domain/pools.js";
import { checkPassword, newPasswordRecordParts } from "../../domain/srp.js";
import { updateUser } from "../../domain/users.js";
import { limitExceeded, MESSAGES, notAuthorized } from "../../errors.js";

/** Failed ChangePassword attempts a user gets per hour (AWS publishes 5 an hour for this operation). */
const ATTEMPTS_PER_HOUR = 5;

export const changePassword: Action = async (raw, ctx) => {
  const input = validate<{ PreviousPassword?: string; ProposedPassword: string; AccessToken: string }>(raw, {
    PreviousPassword: PASSWORD(false),
    ProposedPassword: PASSWORD(true),
    AccessToken: ACCESS_TOKEN,
  });
  const now = ctx.clock.now();
  const failure = await ctx.store.transaction(async (tx) => {
    const { pool, user } = await authenticateAccessToken(tx, ctx, input.AccessToken, now);
    // Every attempt counts until one succeeds; past the limit even the right password waits.
    const counter = `change-password:${pool.id}:${user.username}`;
    if ((await tx.incrementCounter(counter, hourWindowStart(now), now)) > ATTEMPTS_PER_HOUR)
      throw limitExceeded(MESSAGES.attemptLimit);
    const record = user.password;
    const poolName = poolShortName(pool.id);
    const proven =
      record !== undefined &&
      input.PreviousPassword !== undefined &&
      checkPassword({
        poolName,
        username: user.username,
        password: input.PreviousPassword,
        salt: record.salt,
        verifier: record.verifier,
      });
    if (!proven) return notAuthorized(MESSAGES.incorrectCredentials);
    requirePasswordPolicy(pool, input.ProposedPassword, "ChangePassword");
    await tx.resetCounter(counter);
    const password = {
      ...newPasswordRecordParts(ctx.random, poolName, user.username, input.ProposedPassword),
      temporary: false,
      setAt: now,
    };
    await updateUser(tx, pool, { ...user, password, lastModifiedAt: now });
    return undefined;
  });
  if (failure) throw failure;
  return {};
};
