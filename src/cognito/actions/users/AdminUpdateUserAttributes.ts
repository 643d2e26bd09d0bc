// AdminUpdateUserAttributes: an administrator changes attributes; a new unverified email/phone gets a code.

import {
  attributeList,
  CLIENT_METADATA,
  USER_POOL_ID,
  USERNAME,
  validate,
} from "../../../shared/validation.js";
import type { UserRecord } from "../../../store/model.js";
import type { StoreTx } from "../../../store/port.js";
import type { Action } from "../../context.js";
import { applyAttributeUpdate } from "../../domain/attribute-updates.js";
import { stillWanted, verificationCode } from "../../domain/auth-self-service.js";
import { composeMessages, keepMessages, recordMessages, sendMessages } from "../../domain/messages.js";
import { loadPool } from "../../domain/pools.js";
import { saveUser } from "../../domain/user-lifecycle.js";
import { type AttributeInput, checkAttributes, requireUser } from "../../domain/users.js";

interface Input {
  UserPoolId: string;
  Username: string;
  UserAttributes: AttributeInput[];
  ClientMetadata?: Record<string, string>;
}

/** The change applied to the user as stored now (read before the codes are composed, and again to write). */
async function change(tx: StoreTx, input: Input, now: number) {
  const pool = await loadPool(tx, input.UserPoolId);
  const user = await requireUser(tx, pool, input.Username);
  const changes = checkAttributes(pool, input.UserAttributes, { admin: true, creating: false });
  const update = applyAttributeUpdate(pool, user, changes);
  const updated: UserRecord = { ...user, attributes: update.attributes, lastModifiedAt: now };
  return { pool, user, updated, update };
}

export const adminUpdateUserAttributes: Action = async (raw, ctx) => {
  const input = validate<Input>(raw, {
    UserPoolId: USER_POOL_ID,
    Username: USERNAME,
    UserAttributes: attributeList({ required: true }),
    ClientMetadata: CLIENT_METADATA,
  });
  const now = ctx.clock.now();
  const planned = await ctx.store.transaction((tx) => change(tx, input, now));
  const call = {
    reason: "UpdateUserAttribute",
    clientId: undefined,
    clientMetadata: input.ClientMetadata,
  } as const;
  const outgoing = await composeMessages(
    ctx,
    planned.update.toVerify.map((a) => verificationCode(ctx, planned.pool, planned.updated, a, call)),
  );
  // The attributes, their codes and the codes' messages commit together, the change applied to the
  // user as stored by then (another call may have changed them while CustomMessage ran).
  const sent = await ctx.store.transaction(async (tx) => {
    const { pool, user, updated, update } = await change(tx, input, now);
    // A changed alias is re-keyed here; one another user signs in with is AliasExistsException.
    await saveUser(tx, pool, updated);
    for (const attribute of update.verified)
      await tx.deleteCode(pool.id, user.username, `verify:${attribute}`);
    const kept = keepMessages(outgoing, stillWanted(update.toVerify, updated));
    await recordMessages(tx, ctx, kept);
    return kept;
  });
  await sendMessages(ctx, sent);
  return {};
};
