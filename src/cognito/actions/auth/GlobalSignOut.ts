// GlobalSignOut: the caller's every refresh token is revoked, and with them every access token of theirs.

import { ACCESS_TOKEN, validate } from "../../../shared/validation.js";
import type { Action } from "../../context.js";
import { authenticateAccessToken } from "../../domain/access.js";

export const globalSignOut: Action = async (raw, ctx) => {
  const input = validate<{ AccessToken: string }>(raw, { AccessToken: ACCESS_TOKEN });
  await ctx.store.transaction(async (tx) => {
    const { pool, user } = await authenticateAccessToken(tx, ctx, input.AccessToken, ctx.clock.now());
    await tx.revokeUserRefreshTokens(pool.id, user.username);
  });
  return {};
};
