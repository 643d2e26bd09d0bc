// Sign-up rules: what a PreSignUp response asks for, and which attribute a confirmation code verifies.

import type { PoolRecord, UserRecord } from "../../store/model.js";
import type { ActionContext } from "../context.js";
import { invalidParameter } from "../errors.js";
import { signUpDestination } from "./delivery.js";
import { runTrigger } from "./triggers.js";
import { triggerAttributes } from "./users.js";

export interface PreSignUpOutcome {
  autoConfirm: boolean;
  verifyEmail: boolean;
  verifyPhone: boolean;
}

/**
 * Reads PreSignUp_SignUp's response. Auto-verifying needs the attribute to be there, and (as reported
 * of the real service) needs auto-confirmation too: a user who still has to confirm gets the code at
 * the attribute that code would verify.
 */
export function preSignUpOutcome(
  response: Record<string, unknown>,
  attributes: Record<string, string>,
): PreSignUpOutcome {
  const outcome = {
    autoConfirm: response.autoConfirmUser === true,
    verifyEmail: response.autoVerifyEmail === true,
    verifyPhone: response.autoVerifyPhone === true,
  };
  if ((outcome.verifyEmail || outcome.verifyPhone) && !outcome.autoConfirm)
    throw invalidParameter("Phone or email cannot be auto verified, when user is not being auto confirmed.");
  if (outcome.verifyEmail && !attributes.email)
    throw invalidParameter("Email cannot be auto verified, when email attribute is not present.");
  if (outcome.verifyPhone && !attributes.phone_number)
    throw invalidParameter(
      "Phone number cannot be auto verified, when phone_number attribute is not present.",
    );
  return outcome;
}

/** The attributes with PreSignUp's auto-verification applied. */
export function applyAutoVerification(
  attributes: Record<string, string>,
  outcome: PreSignUpOutcome,
): Record<string, string> {
  const out = { ...attributes };
  if (outcome.verifyEmail) out.email_verified = "true";
  if (outcome.verifyPhone) out.phone_number_verified = "true";
  return out;
}

/**
 * The attribute a sign-up code proves the user holds: the one signUpDestination sent it to. Codes are
 * stored without their destination, so it is worked out again the same way at confirmation.
 */
export function signUpVerifiedAttribute(pool: PoolRecord, user: UserRecord): string | undefined {
  return signUpDestination(pool, user)?.AttributeName;
}

/**
 * PostConfirmation after a confirmation committed (ConfirmSignUp, AdminConfirmSignUp, auto-confirmed
 * SignUp, ConfirmForgotPassword). Its failure reaches the caller, but the confirmation stays.
 */
export async function runPostConfirmation(
  ctx: ActionContext,
  pool: PoolRecord,
  user: UserRecord,
  triggerSource: "PostConfirmation_ConfirmSignUp" | "PostConfirmation_ConfirmForgotPassword",
  clientId: string | undefined,
  clientMetadata: Record<string, string> | undefined,
): Promise<void> {
  await runTrigger(ctx, pool, {
    trigger: "PostConfirmation",
    triggerSource,
    userName: user.username,
    clientId,
    request: { userAttributes: triggerAttributes(user), clientMetadata: clientMetadata ?? null },
    response: {},
  });
}
