// GetUserAttributeVerificationCode: sends the signed-in user a code to verify their email or phone number.

import { ACCESS_TOKEN, CLIENT_METADATA, str, validate } from "../../../shared/validation.js";
import type { StoreTx } from "../../../store/port.js";
import type { Action, ActionContext } from "../../context.js";
import { authenticateAccessToken } from "../../domain/access.js";
import {
  codeDetails,
  countCodeRequest,
  verifiableValue,
  verificationCode,
} from "../../domain/auth-self-service.js";
import { composeMessages, keepMessages, recordMessages, sendMessages } from "../../domain/messages.js";

const ATTRIBUTE_NAME = str({
  required: true,
  min: 1,
  max: 32,
  pattern: /^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u,
  patternText: "[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+",
});

interface Input {
  AccessToken: string;
  AttributeName: string;
  ClientMetadata?: Record<string, string>;
}

/** The signed-in user, who must have the attribute, with a value a code can go to. */
async function target(tx: StoreTx, ctx: ActionContext, input: Input, now: number) {
  const { pool, user, claims } = await authenticateAccessToken(tx, ctx, input.AccessToken, now);
  verifiableValue(user, input.AttributeName);
  return { pool, user, clientId: claims.client_id };
}

export const getUserAttributeVerificationCode: Action = async (raw, ctx) => {
  const input = validate<Input>(raw, {
    AccessToken: ACCESS_TOKEN,
    AttributeName: ATTRIBUTE_NAME,
    ClientMetadata: CLIENT_METADATA,
  });
  const now = ctx.clock.now();
  const { pool, user, clientId } = await ctx.store.transaction(async (tx) => {
    const found = await target(tx, ctx, input, now);
    await countCodeRequest(tx, found.pool, found.user, now);
    return found;
  });
  const call = { reason: "VerifyUserAttribute", clientId, clientMetadata: input.ClientMetadata } as const;
  const code = verificationCode(ctx, pool, user, input.AttributeName, call);
  const outgoing = await composeMessages(ctx, [code]);
  // The code replaces the previous one only together with its message, and only while the attribute
  // still has the value the message went to.
  const sent = await ctx.store.transaction(async (tx) => {
    const current = await target(tx, ctx, input, now);
    const sent = keepMessages(
      outgoing,
      (d) => current.user.attributes[input.AttributeName] === d.destination,
    );
    await recordMessages(tx, ctx, sent);
    return sent;
  });
  await sendMessages(ctx, sent);
  return { CodeDeliveryDetails: codeDetails(code) };
};
