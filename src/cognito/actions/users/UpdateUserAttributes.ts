// UpdateUserAttributes: the signed-in user edits their attributes; a new email or phone number must be verified again.

import { ACCESS_TOKEN, attributeList, CLIENT_METADATA, validate } from "../../../shared/validation.js";
import type { UserRecord } from "../../../store/model.js";
import { authenticateAccessToken } from "../../domain/access.js";
import {
  issueVerificationCode,
  type PendingCode,
  requireWritable,
  sendCodes,
} from "../../domain/auth-self-service.js";
import { autoVerifiedAttributes } from "../../domain/pools.js";
import { VERIFIED_FLAGS } from "../../domain/schema.js";
import { type AttributeInput, checkAttributes, updateUser } from "../../domain/users.js";
import type { Action } from "../context.js";

interface Input {
  UserAttributes: AttributeInput[];
  AccessToken: string;
  ClientMetadata?: Record<string, string>;
}

export const updateUserAttributes: Action = async (raw, ctx) => {
  const input = validate<Input>(raw, {
    UserAttributes: attributeList({ required: true }),
    AccessToken: ACCESS_TOKEN,
    ClientMetadata: CLIENT_METADATA,
  });
  const now = ctx.clock.now();
  const { pool, user, clientId, pending } = await ctx.store.transaction(async (tx) => {
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
    // A new email or phone number is unverified until its code comes back.
    for (const name of changed) {
      const flag = VERIFIED_FLAGS[name];
      if (!flag) continue;
      if (attributes[name] === undefined) delete attributes[flag];
      else attributes[flag] = "false";
    }
    const updated: UserRecord = { ...user, attributes, lastModifiedAt: now };
    await updateUser(tx, pool, updated);
    const pending: PendingCode[] = [];
    const auto = autoVerifiedAttributes(pool);
    for (const name of changed) {
      const value = attributes[name];
      if (VERIFIED_FLAGS[name] && value && auto.includes(name))
        pending.push(await issueVerificationCode(tx, ctx, pool, updated, name, value, now));
    }
    return { pool, user: updated, clientId: claims.client_id, pending };
  });
  const list = await sendCodes(ctx, pool, user, pending, {
    reason: "UpdateUserAttribute",
    clientId,
    clientMetadata: input.ClientMetadata,
  });
  return list.length > 0 ? { CodeDeliveryDetailsList: list } : {};
};
