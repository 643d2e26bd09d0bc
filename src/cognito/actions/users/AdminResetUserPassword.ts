// AdminResetUserPassword: the password stops working (RESET_REQUIRED) and a reset code goes to the user.

import { CLIENT_METADATA, USER_POOL_ID, USERNAME, validate } from "../../../shared/validation.js";
import type { UserRecord } from "../../../store/model.js";
import { issueCode } from "../../domain/codes.js";
import { deliver, recoveryDestination } from "../../domain/delivery.js";
import { loadPool } from "../../domain/pools.js";
import { NO_RECOVERY_CHANNEL } from "../../domain/recovery.js";
import { saveUser } from "../../domain/user-lifecycle.js";
import { requireUser } from "../../domain/users.js";
import { invalidParameter, notAuthorized } from "../../errors.js";
import type { Action } from "../context.js";

interface Input {
  UserPoolId: string;
  Username: string;
  ClientMetadata?: Record<string, string>;
}

export const adminResetUserPassword: Action = async (raw, ctx) => {
  const input = validate<Input>(raw, {
    UserPoolId: USER_POOL_ID,
    Username: USERNAME,
    ClientMetadata: CLIENT_METADATA,
  });
  const now = ctx.clock.now();
  const sent = await ctx.store.transaction(async (tx) => {
    const pool = await loadPool(tx, input.UserPoolId);
    const user = await requireUser(tx, pool, input.Username);
    if (!user.enabled) throw notAuthorized("User is disabled.");
    const destination = recoveryDestination(pool, user);
    if (!destination) throw invalidParameter(NO_RECOVERY_CHANNEL);
    const updated: UserRecord = {
      ...user,
      status: "RESET_REQUIRED",
      password: undefined,
      lastModifiedAt: now,
    };
    await saveUser(tx, pool, updated);
    const code = await issueCode(tx, ctx.random, pool, updated, "forgot-password", now);
    return { pool, user: updated, destination, code };
  });
  await deliver(ctx, {
    pool: sent.pool,
    user: sent.user,
    medium: sent.destination.DeliveryMedium,
    destination: sent.user.attributes[sent.destination.AttributeName] ?? "",
    code: sent.code,
    kind: "verification",
    reason: "ForgotPassword",
    clientId: undefined,
    clientMetadata: input.ClientMetadata,
  });
  return {};
};
