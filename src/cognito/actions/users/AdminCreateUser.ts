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
import { deliver, type Medium } from "../../domain/delivery.js";
import { newTemporaryPassword, passwordRecord, requirePasswordPolicy } from "../../domain/passwords.js";
import { loadPool } from "../../domain/pools.js";
import { runTrigger } from "../../domain/triggers.js";
import {
  attributeMap,
  insertNewUser,
  nameTaken,
  newUserName,
  presentAttributes,
  saveUser,
  takeAliases,
} from "../../domain/user-lifecycle.js";
import { type AttributeInput, checkAttributes, requireUser, userWire } from "../../domain/users.js";
import { invalidParameter, unsupportedUserState } from "../../errors.js";
import type { Action, ActionContext } from "../context.js";

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

async function invite(
  ctx: ActionContext,
  pool: PoolRecord,
  user: UserRecord,
  mediums: Medium[],
  temporaryPassword: string,
  clientMetadata: Record<string, string> | undefined,
): Promise<void> {
  for (const medium of mediums) {
    await deliver(ctx, {
      pool,
      user,
      medium,
      destination: user.attributes[MEDIUM_ATTRIBUTE[medium]] ?? "",
      code: temporaryPassword,
      kind: "invitation",
      reason: "AdminCreateUser",
      clientId: undefined,
      clientMetadata,
    });
  }
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

  if (input.MessageAction === "RESEND") {
    // A new temporary password for an invited user who has not signed in yet, and its validity restarts.
    const resent = await ctx.store.transaction(async (tx) => {
      const pool = await loadPool(tx, input.UserPoolId);
      const user = await requireUser(tx, pool, input.Username);
      if (user.status !== "FORCE_CHANGE_PASSWORD")
        throw unsupportedUserState(
          `Resend not possible. ${input.Username} status is not FORCE_CHANGE_PASSWORD`,
        );
      if (input.TemporaryPassword !== undefined) requirePasswordPolicy(pool, input.TemporaryPassword);
      const temporary = input.TemporaryPassword ?? newTemporaryPassword(ctx.random, pool);
      const mediums = invitationMediums(input, user.attributes);
      const updated: UserRecord = {
        ...user,
        password: passwordRecord(ctx.random, pool, user.username, temporary, true, now),
        lastModifiedAt: now,
      };
      await saveUser(tx, pool, updated);
      return { pool, user: updated, temporary, mediums };
    });
    await invite(ctx, resent.pool, resent.user, resent.mediums, resent.temporary, input.ClientMetadata);
    return { User: userWire(resent.user) };
  }

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
    if (input.TemporaryPassword !== undefined) requirePasswordPolicy(pool, input.TemporaryPassword);
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
  await ctx.store.transaction(async (tx) => {
    if (input.ForceAliasCreation) await takeAliases(tx, pool, user, now);
    await insertNewUser(tx, pool, user, USER_EXISTS);
  });
  await invite(ctx, pool, user, mediums, temporary, input.ClientMetadata);
  return { User: userWire(user) };
};
