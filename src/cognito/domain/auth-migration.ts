// UserMigration_Authentication: an unknown user signing in with a password may be imported by the pool's trigger.

import type { ClientRecord, PoolRecord, UserRecord } from "../../store/model.js";
import type { StoreTx } from "../../store/port.js";
import type { ActionContext } from "../context.js";
import { CognitoError, MESSAGES, notAuthorized, userNotFound } from "../errors.js";
import { preventsUserExistenceErrors } from "./clients.js";
import { welcomeMessages } from "./messages.js";
import { lambdaConfig, poolShortName, usernameAttributes } from "./pools.js";
import { VERIFIED_FLAGS } from "./schema.js";
import { newPasswordRecordParts } from "./srp.js";
import { runTrigger } from "./triggers.js";
import { aliasKey, checkAttributes, insertUser, normalise, updateUser, userKeys } from "./users.js";

/** The trigger failures a migration turns into the unknown-user answer. */
export const LAMBDA_ERRORS: ReadonlySet<string> = new Set([
  "UserLambdaValidationException",
  "UnexpectedLambdaException",
  "InvalidLambdaResponseException",
]);

/** Cognito pre-fills every response member with null. */
const DEFAULT_RESPONSE = {
  userAttributes: null,
  finalUserStatus: null,
  messageAction: null,
  desiredDeliveryMediums: null,
  forceAliasCreation: null,
  enableSMSMFA: null,
};

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Runs UserMigration for a name no user answers to and creates the user it returns. Undefined when the
 * pool has no such trigger or the handler returned no attributes. A failing handler does not surface as
 * a Lambda error: the caller sees the unknown-user answer (LEGACY: "Exception migrating user in app
 * client <id>", as reported; ENABLED: the generic NotAuthorized).
 */
export async function migrateOnSignIn(
  ctx: ActionContext,
  input: {
    pool: PoolRecord;
    client: ClientRecord;
    typed: string;
    password: string;
    clientMetadata: Record<string, string> | undefined;
  },
): Promise<UserRecord | undefined> {
  const { pool, client, typed } = input;
  if (!lambdaConfig(pool)?.UserMigration) return undefined;
  let response: Record<string, unknown>;
  try {
    response = await runMigration(ctx, input);
  } catch (error) {
    if (!(error instanceof CognitoError) || !LAMBDA_ERRORS.has(error.type)) throw error;
    if (preventsUserExistenceErrors(client)) throw notAuthorized(MESSAGES.incorrectCredentials);
    throw userNotFound(`Exception migrating user in app client ${client.clientId}`);
  }
  if (!isObject(response.userAttributes)) return undefined;
  const attributes: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.userAttributes)) {
    if (value === null || value === undefined || name === "username") continue;
    attributes[name] = typeof value === "string" ? value : String(value);
  }
  // A migrated user gets a new sub; a handler that sets one fails the sign-in (as reported of Cognito).
  if ("sub" in attributes) throw notAuthorized(MESSAGES.incorrectCredentials);

  const now = ctx.clock.now();
  const sub = ctx.random.uuid();
  const signInAttributes = usernameAttributes(pool);
  let username = typed;
  if (signInAttributes.length > 0) {
    // The typed email / phone is the sign-in name; the username is the sub.
    username = sub;
    const attribute = typed.includes("@") ? "email" : "phone_number";
    if (signInAttributes.includes(attribute)) attributes[attribute] ??= typed;
  }
  const checked = checkAttributes(
    pool,
    Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
    { admin: true, creating: true },
  );
  const user: UserRecord = {
    poolId: pool.id,
    username,
    sub,
    attributes: Object.fromEntries(
      Object.entries(checked).filter((e): e is [string, string] => e[1] !== undefined),
    ),
    status: response.finalUserStatus === "CONFIRMED" ? "CONFIRMED" : "RESET_REQUIRED",
    enabled: true,
    password: {
      ...newPasswordRecordParts(ctx.random, poolShortName(pool.id), username, input.password),
      temporary: false,
      setAt: now,
    },
    createdAt: now,
    lastModifiedAt: now,
  };
  // The welcome message commits with the user it welcomes.
  await ctx.store.transaction(async (tx) => {
    if (response.forceAliasCreation === true) await takeAliases(tx, pool, user);
    await insertUser(tx, pool, user);
    for (const message of welcomeMessages(ctx, pool, user, response)) await tx.addOutboxMessage(message);
  });
  // enableSMSMFA is not acted on: this server has no MFA.
  return user;
}

function runMigration(
  ctx: ActionContext,
  input: {
    pool: PoolRecord;
    client: ClientRecord;
    typed: string;
    password: string;
    clientMetadata: Record<string, string> | undefined;
  },
) {
  return runTrigger(ctx, input.pool, {
    trigger: "UserMigration",
    triggerSource: "UserMigration_Authentication",
    userName: input.typed,
    clientId: input.client.clientId,
    // InitiateAuth's ClientMetadata arrives as validationData.
    request: { password: input.password, validationData: input.clientMetadata ?? null, clientMetadata: null },
    response: { ...DEFAULT_RESPONSE },
  });
}

/** forceAliasCreation: the new user's aliases leave whoever holds them, whose attribute becomes unverified. */
async function takeAliases(tx: StoreTx, pool: PoolRecord, user: UserRecord): Promise<void> {
  for (const key of userKeys(pool, user).aliasKeys) {
    const holder = await tx.releaseAlias(pool.id, key);
    if (!holder) continue;
    const stored = await tx.getUserByKey(pool.id, normalise(pool, "username", holder));
    if (!stored) continue;
    const attribute = key.slice(0, key.indexOf(":"));
    const flag = VERIFIED_FLAGS[attribute];
    const attributes = { ...stored.user.attributes };
    if (flag) attributes[flag] = "false";
    else if (aliasKey(pool, attribute, attributes[attribute] ?? "") === key) delete attributes[attribute];
    await updateUser(tx, pool, { ...stored.user, attributes, lastModifiedAt: user.createdAt });
  }
}
