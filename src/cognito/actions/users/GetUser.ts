// GetUser: the signed-in user's own profile, read with their access token.

import { ACCESS_TOKEN, validate } from "../../../shared/validation.js";
import type { Action } from "../../context.js";
import { authenticateAccessToken } from "../../domain/access.js";
import { readableAttributes } from "../../domain/auth-self-service.js";
import { attributesWire } from "../../domain/users.js";

export const getUser: Action = async (raw, ctx) => {
  const input = validate<{ AccessToken: string }>(raw, { AccessToken: ACCESS_TOKEN });
  const { user, client } = await ctx.store.transaction((tx) =>
    authenticateAccessToken(tx, ctx, input.AccessToken, ctx.clock.now()),
  );
  return { Username: user.username, UserAttributes: attributesWire(user, readableAttributes(client)) };
};
