// DeleteUser: the signed-in user deletes themselves (and with them their tokens, codes and memberships).

import { ACCESS_TOKEN, validate } from "../../../shared/validation.js";
import type { Action } from "../../context.js";
import { authenticateAccessToken } from "../../domain/access.js";

export const deleteUser: Action = async (raw, ctx) => {
  const input = validate<{ AccessToken: string }>(raw, { AccessToken: ACCESS_TOKEN });
  await ctx.store.transaction(async (tx) => {
    const { pool, user } = await authenticateAccessToken(tx, ctx, input.AccessToken, ctx.clock.now());
    await tx.deleteUser(pool.id, user.username);
  });
  return {};
};
