// VerifyUserAttribute: the signed-in user proves an email or phone number with the code sent to it.

import { ACCESS_TOKEN, CODE, str, validate } from "../../../shared/validation.js";
import type { Action } from "../../context.js";
import { authenticateAccessToken } from "../../domain/access.js";
import { verifiableValue } from "../../domain/auth-self-service.js";
import { checkCode } from "../../domain/codes.js";
import { VERIFIED_FLAGS } from "../../domain/schema.js";
import { updateUser } from "../../domain/users.js";

const ATTRIBUTE_NAME = str({
  required: true,
  min: 1,
  max: 32,
  pattern: /^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u,
  patternText: "[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+",
});

export const verifyUserAttribute: Action = async (raw, ctx) => {
  const input = validate<{ AccessToken: string; AttributeName: string; Code: string }>(raw, {
    AccessToken: ACCESS_TOKEN,
    AttributeName: ATTRIBUTE_NAME,
    Code: CODE,
  });
  const now = ctx.clock.now();
  const outcome = await ctx.store.transaction(async (tx) => {
    const { pool, user } = await authenticateAccessToken(tx, ctx, input.AccessToken, now);
    verifiableValue(user, input.AttributeName);
    const check = await checkCode(tx, pool, user, `verify:${input.AttributeName}`, input.Code, now);
    // A wrong code is counted: commit that, then fail.
    if (!check.ok) return check;
    const flag = VERIFIED_FLAGS[input.AttributeName] as string;
    // Verified, an alias attribute becomes a sign-in name: updateUser re-keys it (AliasExistsException if taken).
    await updateUser(tx, pool, {
      ...user,
      attributes: { ...user.attributes, [flag]: "true" },
      lastModifiedAt: now,
    });
    return check;
  });
  if (!outcome.ok) throw outcome.error;
  return {};
};
