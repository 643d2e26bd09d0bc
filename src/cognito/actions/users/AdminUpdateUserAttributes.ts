// AdminUpdateUserAttributes: an administrator changes attributes; a new unverified email/phone gets a code.

import {
  attributeList,
  CLIENT_METADATA,
  USER_POOL_ID,
  USERNAME,
  validate,
} from "../../../shared/validation.js";
import type { UserRecord } from "../../../store/model.js";
import { applyAttributeUpdate } from "../../domain/attribute-updates.js";
import { issueCode } from "../../domain/codes.js";
import { deliver, details } from "../../domain/delivery.js";
import { loadPool } from "../../domain/pools.js";
import { saveUser } from "../../domain/user-lifecycle.js";
import { type AttributeInput, checkAttributes, requireUser } from "../../domain/users.js";
import type { Action } from "../context.js";

interface Input {
  UserPoolId: string;
  Username: string;
  UserAttributes: AttributeInput[];
  ClientMetadata?: Record<string, string>;
}

export const adminUpdateUserAttributes: Action = async (raw, ctx) => {
  const input = validate<Input>(raw, {
    UserPoolId: USER_POOL_ID,
    Username: USERNAME,
    UserAttributes: attributeList({ required: true }),
    ClientMetadata: CLIENT_METADATA,
  });
  const now = ctx.clock.now();
  const result = await ctx.store.transaction(async (tx) => {
    const pool = await loadPool(tx, input.UserPoolId);
    const user = await requireUser(tx, pool, input.Username);
    const changes = checkAttributes(pool, input.UserAttributes, { admin: true, creating: false });
    const update = applyAttributeUpdate(pool, user, changes);
    const updated: UserRecord = { ...user, attributes: update.attributes, lastModifiedAt: now };
    // A changed alias is re-keyed here; one another user signs in with is AliasExistsException.
    await saveUser(tx, pool, updated);
    for (const attribute of update.verified)
      await tx.deleteCode(pool.id, user.username, `verify:${attribute}`);
    const codes: { attribute: string; code: string }[] = [];
    for (const attribute of update.toVerify)
      codes.push({
        attribute,
        code: await issueCode(tx, ctx.random, pool, updated, `verify:${attribute}`, now),
      });
    return { pool, user: updated, codes };
  });

  for (const { attribute, code } of result.codes) {
    const value = result.user.attributes[attribute] ?? "";
    await deliver(ctx, {
      pool: result.pool,
      user: result.user,
      medium: details(attribute, value).DeliveryMedium,
      destination: value,
      code,
      kind: "verification",
      reason: "UpdateUserAttribute",
      clientId: undefined,
      clientMetadata: input.ClientMetadata,
    });
  }
  return {};
};
