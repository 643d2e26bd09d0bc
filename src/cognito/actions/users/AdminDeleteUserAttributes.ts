// AdminDeleteUserAttributes: an administrator removes attributes (never required or immutable ones).

import { list, str, USER_POOL_ID, USERNAME, validate } from "../../../shared/validation.js";
import type { Action } from "../../context.js";
import { checkDeletions, withoutAttributes } from "../../domain/attribute-updates.js";
import { loadPool } from "../../domain/pools.js";
import { saveUser } from "../../domain/user-lifecycle.js";
import { requireUser } from "../../domain/users.js";

const ATTRIBUTE_NAME = str({
  required: true,
  min: 1,
  max: 32,
  pattern: /^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u,
  patternText: "[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+",
});

export const adminDeleteUserAttributes: Action = async (raw, ctx) => {
  const input = validate<{ UserPoolId: string; Username: string; UserAttributeNames: string[] }>(raw, {
    UserPoolId: USER_POOL_ID,
    Username: USERNAME,
    UserAttributeNames: list(ATTRIBUTE_NAME, { required: true }),
  });
  const now = ctx.clock.now();
  await ctx.store.transaction(async (tx) => {
    const pool = await loadPool(tx, input.UserPoolId);
    const user = await requireUser(tx, pool, input.Username);
    checkDeletions(pool, input.UserAttributeNames);
    await saveUser(tx, pool, {
      ...user,
      attributes: withoutAttributes(user, input.UserAttributeNames),
      lastModifiedAt: now,
    });
    for (const name of input.UserAttributeNames)
      await tx.deleteCode(pool.id, user.username, `verify:${name}`);
  });
  return {};
};
