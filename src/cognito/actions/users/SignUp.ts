// SignUp: a user registers through an app client; PreSignUp may confirm them at once, else a code is sent.

import {
  any,
  attributeList,
  CLIENT_ID,
  CLIENT_METADATA,
  PASSWORD,
  SECRET_HASH,
  USERNAME,
  validate,
} from "../../../shared/validation.js";
import type { PoolRecord, UserRecord } from "../../../store/model.js";
import type { Action, ActionContext } from "../../context.js";
import { checkSecretHash } from "../../domain/clients.js";
import { signUpDestination } from "../../domain/delivery.js";
import {
  codeDelivery,
  composeMessages,
  composeRunsTrigger,
  type Delivery,
  recordMessages,
  sendMessages,
} from "../../domain/messages.js";
import { passwordRecord, requirePasswordPolicy } from "../../domain/passwords.js";
import { applyAutoVerification, preSignUpOutcome, runPostConfirmation } from "../../domain/signup.js";
import { runTrigger } from "../../domain/triggers.js";
import {
  attributeMap,
  insertNewUser,
  loadClientAndPool,
  nameTaken,
  newUserName,
  presentAttributes,
  requireNameStillFree,
  takeAliases,
} from "../../domain/user-lifecycle.js";
import { type AttributeInput, checkAttributes } from "../../domain/users.js";
import { notAuthorized } from "../../errors.js";

interface Input {
  ClientId: string;
  SecretHash?: string;
  Username: string;
  Password: string;
  UserAttributes?: AttributeInput[];
  ValidationData?: AttributeInput[];
  ClientMetadata?: Record<string, string>;
}

const USER_EXISTS = "User already exists";

/** The confirmation code a new unconfirmed user is sent, when the pool verifies an attribute they have. */
function confirmationCode(
  ctx: ActionContext,
  pool: PoolRecord,
  user: UserRecord,
  clientId: string,
  clientMetadata: Record<string, string> | undefined,
): Delivery | undefined {
  const destination = signUpDestination(pool, user);
  if (!destination) return undefined;
  return codeDelivery(ctx, pool, user, destination, {
    purpose: "signup",
    reason: "SignUp",
    clientId,
    clientMetadata,
  });
}

export const signUp: Action = async (raw, ctx) => {
  const input = validate<Input>(raw, {
    ClientId: CLIENT_ID,
    SecretHash: SECRET_HASH,
    Username: USERNAME,
    // Passwordless sign-up (USER_AUTH pools) is not supported, so a password is required as it always was.
    Password: PASSWORD(true),
    UserAttributes: attributeList(),
    ValidationData: attributeList(),
    ClientMetadata: CLIENT_METADATA,
    AnalyticsMetadata: any,
    UserContextData: any,
  });

  const { pool, client, name, attributes } = await ctx.store.transaction(async (tx) => {
    const { client, pool } = await loadClientAndPool(tx, input.ClientId);
    checkSecretHash(client, input.Username, input.SecretHash);
    const adminOnly = (
      pool.settings.AdminCreateUserConfig as { AllowAdminCreateUserOnly?: boolean } | undefined
    )?.AllowAdminCreateUserOnly;
    if (adminOnly) throw notAuthorized("SignUp is not permitted for this user pool");
    const name = newUserName(pool, input.Username, ctx.random);
    // The typed email/phone is the attribute in UsernameAttributes pools: it overrides a different value.
    const given = checkAttributes(
      pool,
      [
        ...(input.UserAttributes ?? []).filter((a) => !(a.Name in name.attributes)),
        ...Object.entries(name.attributes).map(([Name, Value]) => ({ Name, Value })),
      ],
      { admin: false, creating: true },
    );
    requirePasswordPolicy(pool, input.Password, "SignUp");
    // Checked before PreSignUp runs, as Cognito does; insertUser checks again for a concurrent sign-up.
    const taken = await nameTaken(tx, pool, name, USER_EXISTS);
    if (taken) throw taken;
    return { pool, client, name, attributes: presentAttributes(given) };
  });

  const response = await runTrigger(ctx, pool, {
    trigger: "PreSignUp",
    triggerSource: "PreSignUp_SignUp",
    userName: name.username,
    clientId: client.clientId,
    request: {
      userAttributes: attributes,
      validationData: attributeMap(input.ValidationData),
      clientMetadata: input.ClientMetadata ?? null,
    },
    response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
  });
  const outcome = preSignUpOutcome(response, attributes);

  const now = ctx.clock.now();
  const user: UserRecord = {
    poolId: pool.id,
    username: name.username,
    sub: name.sub,
    attributes: applyAutoVerification(attributes, outcome),
    status: outcome.autoConfirm ? "CONFIRMED" : "UNCONFIRMED",
    enabled: true,
    password: passwordRecord(ctx.random, pool, name.username, input.Password, false, now),
    createdAt: now,
    lastModifiedAt: now,
  };

  // The code's message is composed before the user is written, so that the user, their code and its
  // outbox record commit in one transaction: CustomMessage gets `{####}`, not the code, and no
  // trigger may run inside a transaction.
  const code = outcome.autoConfirm
    ? undefined
    : confirmationCode(ctx, pool, user, client.clientId, input.ClientMetadata);
  const deliveries = code ? [code] : [];
  if (composeRunsTrigger(deliveries)) await requireNameStillFree(ctx, pool, name, USER_EXISTS);
  const outgoing = await composeMessages(ctx, deliveries);
  await ctx.store.transaction(async (tx) => {
    // An auto-verified email or phone that is another user's alias moves to the new user.
    await takeAliases(tx, pool, user, now);
    await insertNewUser(tx, pool, user, USER_EXISTS);
    await recordMessages(tx, ctx, outgoing);
  });
  // A CustomMessage failure is thrown here, the user having been created as on Cognito.
  await sendMessages(ctx, outgoing);

  if (outcome.autoConfirm)
    await runPostConfirmation(
      ctx,
      pool,
      user,
      "PostConfirmation_ConfirmSignUp",
      client.clientId,
      input.ClientMetadata,
    );

  return {
    UserConfirmed: outcome.autoConfirm,
    UserSub: user.sub,
    ...(code ? { CodeDeliveryDetails: signUpDestination(pool, user) } : {}),
  };
};
