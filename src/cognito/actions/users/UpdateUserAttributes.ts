// UpdateUserAttributes: the signed-in user edits their attributes; a new email or phone number must be verified again.

import { ACCESS_TOKEN, attributeList, CLIENT_METADATA, validate } from "../../../shared/validation.js";
import type { UserRecord } from "../../../store/model.js";
import type { StoreTx } from "../../../store/port.js";
import type { Action, ActionContext } from "../../context.js";
import { authenticateAccessToken } from "../../domain/access.js";
import {
  codeDetails,
  requireWritable,
  stillWanted,
  verificationCode,
} from "../../domain/auth-self-service.js";
import { composeMessages, keepMessages, recordMessages, sendMessages } from "../../domain/messages.js";
import { autoVerifiedAttributes } from "../../domain/pools.js";
import { VERIFIED_FLAGS } from "../../domain/schema.js";
import { type AttributeInput, checkAttributes, updateUser } from "../../domain/users.js";

interface Input {
  UserAttributes: AttributeInput[];
  AccessToken: string;
  ClientMetadata?: Record<string, string>;
}

/**
 * The change applied to the signed-in user as stored now (read before the codes are composed, and
 * again to write): the new attributes, and those that need a code. A new email or phone number is
 * unverified until its code comes back.
 */
async function change(tx: StoreTx, ctx: ActionContext, input: Input, now: number) {
  const { pool, client, user, claims } = await authenticateAccessToken(tx, ctx, input.AccessToken, now);
  requireWritable(
    client,
    input.UserAttributes.map((a) => a.Name),
  );
  const changes = checkAttributes(pool, input.UserAttributes, { admin: false, creating: false });
  const attributes = { ...user.attributes };
  const changed: string[] = [];
  for (const [name, value] of Object.entries(changes)) {
    if (value === undefined || value === "") delete attributes[name];
    else attributes[name] = value;
    if (attributes[name] !== user.attributes[name]) changed.push(name);
  }
  for (const name of changed) {
    const flag = VERIFIED_FLAGS[name];
    if (!flag) continue;
    if (attributes[name] === undefined) delete attributes[flag];
    else attributes[flag] = "false";
  }
  const updated: UserRecord = { ...user, attributes, lastModifiedAt: now };
  const auto = autoVerifiedAttributes(pool);
  const toVerify = changed.filter((name) => VERIFIED_FLAGS[name] && attributes[name] && auto.includes(name));
  return { pool, updated, clientId: claims.client_id, toVerify };
}

export const updateUserAttributes: Action = async (raw, ctx) => {
  const input = validate<Input>(raw, {
    UserAttributes: attributeList({ required: true }),
    AccessToken: ACCESS_TOKEN,
    ClientMetadata: CLIENT_METADATA,
  });
  const now = ctx.clock.now();
  const planned = await ctx.store.transaction((tx) => change(tx, ctx, input, now));
  const call = {
    reason: "UpdateUserAttribute",
    clientId: planned.clientId,
    clientMetadata: input.ClientMetadata,
  } as const;
  const deliveries = planned.toVerify.map((a) =>
    verificationCode(ctx, planned.pool, planned.updated, a, call),
  );
  const outgoing = await composeMessages(ctx, deliveries);
  // The attributes, their codes and the codes' messages commit together, the change applied to the
  // user as stored by then (another call may have changed them while CustomMessage ran).
  const { sent, keep } = await ctx.store.transaction(async (tx) => {
    const { pool, updated, toVerify } = await change(tx, ctx, input, now);
    await updateUser(tx, pool, updated);
    const keep = stillWanted(toVerify, updated);
    const sent = keepMessages(outgoing, keep);
    await recordMessages(tx, ctx, sent);
    return { sent, keep };
  });
  await sendMessages(ctx, sent);
  const list = deliveries.filter(keep).map(codeDetails);
  return list.length > 0 ? { CodeDeliveryDetailsList: list } : {};
};
