// AdminCreateUser: an administrator creates a user with a temporary password and invites them (or resends it).

import {
  attributeList,
  bool,
  CLIENT_METADATA,
  list,
  PASSWORD,
  str,
  USER_POOL_ID,
  USERNAME,
  validate,
} from "../../../shared/validation.js";
import type { PoolRecord, UserRecord } from "../../../store/model.js";
import type { StoreTx } from "../../../store/port.js";
import type { Action, ActionContext } from "../../context.js";
import type { Medium } from "../../domain/delivery.js";
import {
  composeMessages,
  composeRunsTrigger,
  type Delivery,
  recordMessages,
  sendMessages,
} from "../../domain/messages.js";
import { newTemporaryPassword, passwordRecord, requirePasswordPolicy } from "../../domain/passwords.js";
import { loadPool } from "../../domain/pools.js";
import { runTrigger } from "../../domain/triggers.js";
import {
  attributeMap,
  insertNewUser,
  nameTaken,
  newUserName,
  presentAttributes,
  requireNameStillFree,
  saveUser,
  takeAliases,
} from "../../domain/user-lifecycle.js";
import { type AttributeInput, checkAttributes, requireUser, userWire } from "../../domain/users.js";
import { invalidParameter, unsupportedUserState } from "../../errors.js";

interface Input {
  UserPoolId: string;
  Username: string;
  UserAttributes?: AttributeInput[];
  ValidationData?: AttributeInput[];
  TemporaryPassword?: string;
  ForceAliasCreation?: boolean;
  MessageAction?: "RESEND" | "SUPPRESS";
  DesiredDeliveryMediums?: Medium[];
  ClientMetadata?: Record<string, string>;
}

const USER_EXISTS = "User account already exists";
const MEDIUM_ATTRIBUTE: Record<Medium, string> = { EMAIL: "email", SMS: "phone_number" };

/**
 * The invitations to send: one per desired medium the user has an address for. Cognito's default
 * medium is SMS, so a user with only an email gets no invitation unless EMAIL is asked for; asking for
 * EMAIL without an email is refused.
 */
function invitationMediums(input: Input, attributes: Record<string, string>): Medium[] {
  if (input.MessageAction === "SUPPRESS") return [];
  const wanted: Medium[] = [...new Set(input.DesiredDeliveryMediums ?? (["SMS"] as Medium[]))];
  if (wanted.includes("EMAIL") && !attributes.email)
    throw invalidParameter("No email provided but desired delivery medium was Email");
  return wanted.filter((medium) => attributes[MEDIUM_ATTRIBUTE[medium]]);
}

/**
 * The invitations, one per medium. Their code is the temporary password, which is kept with the user
 * (not as a code), so each is composed before the write that stores the password and recorded in it.
 */
function invitations(
  pool: PoolRecord,
  user: UserRecord,
  mediums: Medium[],
  temporaryPassword: string,
  clientMetadata: Record<string, string> | undefined,
): Delivery[] {
  return mediums.map((medium) => ({
    pool,
    user,
    medium,
    destination: user.attributes[MEDIUM_ATTRIBUTE[medium]] ?? "",
    code: temporaryPassword,
    purpose: undefined,
    kind: "invitation",
    reason: "AdminCreateUser",
    clientId: undefined,
    clientMetadata,
  }));
}

/** MessageAction=RESEND is for an invited user who has not signed in yet. */
async function resendTarget(tx: StoreTx, input: Input): Promise<{ pool: PoolRecord; user: UserRecord }> {
  const pool = await loadPool(tx, input.UserPoolId);
  const user = await requireUser(tx, pool, input.Username);
  if (user.status !== "FORCE_CHANGE_PASSWORD")
    throw unsupportedUserState(`Resend not possible. ${input.Username} status is not FORCE_CHANGE_PASSWORD`);
  if (input.TemporaryPassword !== undefined)
    requirePasswordPolicy(pool, input.TemporaryPassword, "AdminCreateUser");
  return { pool, user };
}

/**
 * RESEND: a new temporary password, whose validity restarts, saved with its invitations in one
 * transaction; the checks run again there, as the user may have signed in while they were composed.
 */
async function resend(ctx: ActionContext, input: Input, now: number): Promise<Record<string, unknown>> {
  const { pool, user } = await ctx.store.transaction((tx) => resendTarget(tx, input));
  const mediums = invitationMediums(input, user.attributes);
  const temporary = input.TemporaryPassword ?? newTemporaryPassword(ctx.random, pool);
  const password = passwordRecord(ctx.random, pool, user.username, temporary, true, now);
  const invited: UserRecord = { ...user, password, lastModifiedAt: now };
  const outgoing = await composeMessages(
    ctx,
    invitations(pool, invited, mediums, temporary, input.ClientMetadata),
  );
  const saved = await ctx.store.transaction(async (tx) => {
    const fresh = await resendTarget(tx, input);
    const updated: UserRecord = { ...fresh.user, password, lastModifiedAt: now };
    await saveUser(tx, pool, updated);
    await recordMessages(tx, ctx, outgoing);
    return updated;
  });
  await sendMessages(ctx, outgoing);
  return { User: userWire(saved) };
}

export const adminCreateUser: Action = async (raw, ctx) => {
  const input = validate<Input>(raw, {
    UserPoolId: USER_POOL_ID,
    Username: USERNAME,
    UserAttributes: attributeList(),
    ValidationData: attributeList(),
    TemporaryPassword: PASSWORD(false),
    ForceAliasCreation: bool(),
    MessageAction: str({ enum: ["RESEND", "SUPPRESS"] }),
    DesiredDeliveryMediums: list(str({ enum: ["SMS", "EMAIL"] })),
    ClientMetadata: CLIENT_METADATA,
  });
  const now = ctx.clock.now();

  if (input.MessageAction === "RESEND") return resend(ctx, input, now);

  const prepared = await ctx.store.transaction(async (tx) => {
    const pool = await loadPool(tx, input.UserPoolId);
    const name = newUserName(pool, input.Username, ctx.random);
    const given = checkAttributes(
      pool,
      [
        ...(input.UserAttributes ?? []).filter((a) => !(a.Name in name.attributes)),
        ...Object.entries(name.attributes).map(([Name, Value]) => ({ Name, Value })),
      ],
      { admin: true, creating: true },
    );
    if (input.TemporaryPassword !== undefined)
      requirePasswordPolicy(pool, input.TemporaryPassword, "AdminCreateUser");
    const taken = await nameTaken(tx, pool, name, USER_EXISTS);
    if (taken) throw taken;
    const attributes = presentAttributes(given);
    return { pool, name, attributes, mediums: invitationMediums(input, attributes) };
  });
  const { pool, name, attributes, mediums } = prepared;

  // Cognito ignores this response's flags for admin-created users, but a handler that throws still blocks the creation.
  await runTrigger(ctx, pool, {
    trigger: "PreSignUp",
    triggerSource: "PreSignUp_AdminCreateUser",
    userName: name.username,
    clientId: undefined,
    request: {
      userAttributes: attributes,
      validationData: attributeMap(input.ValidationData),
      clientMetadata: input.ClientMetadata ?? null,
    },
    response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
  });

  const temporary = input.TemporaryPassword ?? newTemporaryPassword(ctx.random, pool);
  const user: UserRecord = {
    poolId: pool.id,
    username: name.username,
    sub: name.sub,
    attributes,
    status: "FORCE_CHANGE_PASSWORD",
    enabled: true,
    password: passwordRecord(ctx.random, pool, name.username, temporary, true, now),
    createdAt: now,
    lastModifiedAt: now,
  };
  const deliveries = invitations(pool, user, mediums, temporary, input.ClientMetadata);
  if (composeRunsTrigger(deliveries)) await requireNameStillFree(ctx, pool, name, USER_EXISTS);
  const outgoing = await composeMessages(ctx, deliveries);
  await ctx.store.transaction(async (tx) => {
    if (input.ForceAliasCreation) await takeAliases(tx, pool, user, now);
    await insertNewUser(tx, pool, user, USER_EXISTS);
    await recordMessages(tx, ctx, outgoing);
  });
  // Cognito creates the user even when the invitation cannot be sent: a CustomMessage failure comes now.
  await sendMessages(ctx, outgoing);
  return { User: userWire(user) };
};
