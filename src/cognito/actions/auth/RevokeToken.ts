// RevokeToken: a client revokes one refresh token, and every access token minted from it (its origin_jti family).
import { timingSafeEqual } from "node:crypto";
import { CLIENT_ID, str, validate } from "../../../shared/validation.js";
import type { Action } from "../../context.js";
import { poolKeys } from "../../domain/keys.js";
import { unauthorized, unsupportedOperation, unsupportedTokenType } from "../../errors.js";
import { readRefreshToken } from "../../tokens/issue.js";

interface Input {
  Token: string;
  ClientId: string;
  ClientSecret?: string;
}

// Cognito's texts for these are not on record; the exception types are the model's.
const CLIENT_FAILED = "Invalid client id or client secret.";

const sameText = (a: string, b: string) => {
  const x = Buffer.from(a, "utf8");
  const y = Buffer.from(b, "utf8");
  return x.length === y.length && timingSafeEqual(x, y);
};

export const revokeToken: Action = async (raw, ctx) => {
  const input = validate<Input>(raw, {
    Token: str({
      required: true,
      pattern: /^[A-Za-z0-9-_=.]+$/,
      patternText: "[A-Za-z0-9-_=.]+",
      sensitive: true,
    }),
    ClientId: CLIENT_ID,
    ClientSecret: str({ min: 1, max: 64, pattern: /^[\w+]+$/, patternText: "[\\w+]+", sensitive: true }),
  });
  const client = await ctx.store.transaction((tx) => tx.getClient(input.ClientId));
  if (!client) throw unauthorized(CLIENT_FAILED);
  const secret = client.settings.ClientSecret;
  if (
    typeof secret === "string" &&
    secret !== "" &&
    !(input.ClientSecret && sameText(secret, input.ClientSecret))
  )
    throw unauthorized(CLIENT_FAILED);
  if (client.settings.EnableTokenRevocation === false)
    throw unsupportedOperation("Token revocation is not enabled for this app client.");
  // ID and access tokens are JWS (three parts); only refresh tokens (JWE, five parts) can be revoked.
  if (input.Token.split(".").length === 3) throw unsupportedTokenType("Unsupported token type.");
  const keys = await poolKeys(ctx, client.poolId);
  const content = await readRefreshToken(input.Token, keys.refresh);
  // RFC 7009: a token that is not (or no longer) valid is no error; there is nothing to revoke.
  if (!content || content.poolId !== client.poolId) return {};
  if (content.clientId !== client.clientId) throw unauthorized(CLIENT_FAILED);
  await ctx.store.transaction((tx) => tx.revokeRefreshToken(content.originJti));
  return {};
};
