// GetUserAttributeVerificationCode: sends the signed-in user a code to verify their email or phone number.

import { ACCESS_TOKEN, CLIENT_METADATA, str, validate } from "../../../shared/validation.js";
import { authenticateAccessToken } from "../../domain/access.js";
import {
  countCodeRequest,
  issueVerificationCode,
  sendCodes,
  verifiableValue,
} from "../../domain/auth-self-service.js";
import type { Action } from "../context.js";

const ATTRIBUTE_NAME = str({
  required: true,
  min: 1,
  max: 32,
  pattern: /^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u,
  patternText: "[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+",
});

export const getUserAttributeVerificationCode: Action = async (raw, ctx) => {
  const input = validate<{
    AccessToken: string;
    AttributeName: string;
    ClientMetadata?: Record<string, string>;
  }>(raw, {
    AccessToken: ACCESS_TOKEN,
    AttributeName: ATTRIBUTE_NAME,
    ClientMetadata: CLIENT_METADATA,
  });
  const now = ctx.clock.now();
  const { pool, user, clientId, pending } = await ctx.store.transaction(async (tx) => {
    const { pool, user, claims } = await authenticateAccessToken(tx, ctx, input.AccessToken, now);
    const value = verifiableValue(user, input.AttributeName);
    await countCodeRequest(tx, pool, user, now);
    return {
      pool,
      user,
      clientId: claims.client_id,
      pending: await issueVerificationCode(tx, ctx, pool, user, input.AttributeName, value, now),
    };
  });
  const [details] = await sendCodes(ctx, pool, user, [pending], {
    reason: "VerifyUserAttribute",
    clientId,
    clientMetadata: input.ClientMetadata,
  });
  return { CodeDeliveryDetails: details };
};
