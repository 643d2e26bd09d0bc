// DeleteUserAttributes: the signed-in user removes some of their attributes (never required ones).

import { ACCESS_TOKEN, list, str, validate } from "../../../shared/validation.js";
import type { Action } from "../../context.js";
import { authenticateAccessToken } from "../../domain/access.js";
import { requireWritable } from "../../domain/auth-self-service.js";
import { VERIFIED_FLAGS } from "../../domain/schema.js";
import { schemaOf, updateUser } from "../../domain/users.js";
import { invalidParameter } from "../../errors.js";

const ATTRIBUTE_NAME = str({
  required: true,
  min: 1,
  max: 32,
  pattern: /^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u,
  patternText: "[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+",
});

export const deleteUserAttributes: Action = async (raw, ctx) => {
  const input = validate<{ UserAttributeNames: string[]; AccessToken: string }>(raw, {
    UserAttributeNames: list(ATTRIBUTE_NAME, { required: true }),
    AccessToken: ACCESS_TOKEN,
  });
  const now = ctx.clock.now();
  await ctx.store.transaction(async (tx) => {
    const { pool, client, user } = await authenticateAccessToken(tx, ctx, input.AccessToken, now);
    requireWritable(client, input.UserAttributeNames);
    const schema = schemaOf(pool);
    const problems: string[] = [];
    for (const name of input.UserAttributeNames) {
      const entry = schema.get(name);
      if (name === "sub" || (entry && entry.Mutable === false))
        problems.push(`${name}: Attribute cannot be updated.`);
      else if (!entry) problems.push(`${name}: Attribute does not exist in the schema.`);
      else if (entry.Required) problems.push(`${name}: The attribute ${name} is required`);
    }
    if (problems.length > 0)
      throw invalidParameter(`Attributes did not conform to the schema: ${problems.join(", ")}`);
    const attributes = { ...user.attributes };
    for (const name of input.UserAttributeNames) {
      delete attributes[name];
      // Without the value there is nothing verified.
      const flag = VERIFIED_FLAGS[name];
      if (flag) delete attributes[flag];
    }
    await updateUser(tx, pool, { ...user, attributes, lastModifiedAt: now });
  });
  return {};
};
