// AdminResetUserPassword: the password stops working (RESET_REQUIRED) and a reset code goes to the user.

import { CLIENT_METADATA, USER_POOL_ID, USERNAME, validate } from "../../../shared/validation.js";
import type { PoolRecord, UserRecord } from "../../../store/model.js";
import type { StoreTx } from "../../../store/port.js";
import type { Action } from "../../context.js";
import { type CodeDeliveryDetails, recoveryDestination } from "../../domain/delivery.js";
import { composeMessages, recordMessages, sendMessages } from "../../domain/messages.js";
import { loadPool } from "../../domain/pools.js";
import { NO_RECOVERY_CHANNEL, resetCode } from "../../domain/recovery.js";
import { saveUser } from "../../domain/user-lifecycle.js";
import { requireUser } from "../../domain/users.js";
import { invalidParameter, notAuthorized } from "../../errors.js";

interface Input {
  UserPoolId: string;
  Username: string;
  ClientMetadata?: Record<string, string>;
}

interface Target {
  pool: PoolRecord;
  user: UserRecord;
  destination: CodeDeliveryDetails;
}

/** The user whose password stops working, and where their reset code goes. */
async function target(tx: StoreTx, input: Input): Promise<Target> {
  const pool = await loadPool(tx, input.UserPoolId);
  const user = await requireUser(tx, pool, input.Username);
  if (!user.enabled) throw notAuthorized("User is disabled.");
  const destination = recoveryDestination(pool, user);
  if (!destination) throw invalidParameter(NO_RECOVERY_CHANNEL);
  return { pool, user, destination };
}

export const adminResetUserPassword: Action = async (raw, ctx) => {
  const input = validate<Input>(raw, {
    UserPoolId: USER_POOL_ID,
    Username: USERNAME,
    ClientMetadata: CLIENT_METADATA,
  });
  const now = ctx.clock.now();
  const reset = (user: UserRecord): UserRecord => ({
    ...user,
    status: "RESET_REQUIRED",
    password: undefined,
    lastModifiedAt: now,
  });
  const { pool, user, destination } = await ctx.store.transaction((tx) => target(tx, input));
  const call = { clientId: undefined, clientMetadata: input.ClientMetadata };
  const outgoing = await composeMessages(ctx, [resetCode(ctx, pool, reset(user), destination, call)]);
  // The password stops working in the transaction that stores the code and its message, so a crash
  // cannot leave a user locked out with no code. The checks run again there: the user may have
  // changed while CustomMessage ran.
  await ctx.store.transaction(async (tx) => {
    const current = await target(tx, input);
    await saveUser(tx, pool, reset(current.user));
    await recordMessages(tx, ctx, outgoing);
  });
  await sendMessages(ctx, outgoing);
  return {};
};
