// Password recovery: where a reset code may go, what stops it, and users migrated in by UserMigration_ForgotPassword.

import type { ClientRecord, PoolRecord, UserRecord } from "../../store/model.js";
import type { StoreTx } from "../../store/port.js";
import type { ActionContext } from "../context.js";
import { CognitoError, invalidParameter, notAuthorized, userNotFound } from "../errors.js";
import { LAMBDA_ERRORS } from "./auth-migration.js";
import { preventsUserExistenceErrors } from "./clients.js";
import { type CodeDeliveryDetails, recoveryDestination } from "./delivery.js";
import { codeDelivery, type Delivery } from "./messages.js";
import { runTrigger } from "./triggers.js";
import { newUserName, presentAttributes, simulatedDetails, takeAliases } from "./user-lifecycle.js";
import { checkAttributes, insertUser } from "./users.js";

export const NO_RECOVERY_CHANNEL =
  "Cannot reset password for the user as there is no registered/verified email or phone_number";

type Mechanism = { Name: string; Priority: number };

function recoveryMechanisms(pool: PoolRecord): string[] {
  const setting = pool.settings.AccountRecoverySetting as { RecoveryMechanisms?: Mechanism[] } | undefined;
  if (!setting?.RecoveryMechanisms) return ["verified_phone_number", "verified_email"];
  return [...setting.RecoveryMechanisms].sort((a, b) => a.Priority - b.Priority).map((m) => m.Name);
}

/** `admin_only` recovery: users cannot reset their own password. */
export function adminOnlyRecovery(pool: PoolRecord): boolean {
  return recoveryMechanisms(pool)[0] === "admin_only";
}

/** The attributes a reset code would go to, in the pool's recovery order (for simulated answers). */
export function recoveryAttributes(pool: PoolRecord): string[] {
  return recoveryMechanisms(pool)
    .map((m): string | undefined =>
      m === "verified_phone_number" ? "phone_number" : m === "verified_email" ? "email" : undefined,
    )
    .filter((a): a is string => a !== undefined);
}

export type RecoveryStart =
  | { kind: "send"; user: UserRecord; destination: CodeDeliveryDetails }
  | { kind: "simulated"; details: CodeDeliveryDetails };

/** The answer about a user that cannot be told apart from a real one when the client hides existence. */
export function simulatedRecovery(
  pool: PoolRecord,
  typed: string,
): { kind: "simulated"; details: CodeDeliveryDetails } {
  return { kind: "simulated", details: simulatedDetails(pool, typed, recoveryAttributes(pool)) };
}

/**
 * ForgotPassword's checks for a user that exists, and where their reset code goes. The user's status
 * does not change: until they confirm, their old password still signs them in.
 */
export function startRecovery(
  pool: PoolRecord,
  client: ClientRecord,
  user: UserRecord,
  typed: string,
): RecoveryStart {
  const hide = preventsUserExistenceErrors(client);
  if (!user.enabled) {
    if (hide) return simulatedRecovery(pool, typed);
    throw notAuthorized("User is disabled.");
  }
  if (user.status === "FORCE_CHANGE_PASSWORD")
    throw notAuthorized("User password cannot be reset in the current state.");
  if (adminOnlyRecovery(pool)) throw notAuthorized("Contact administrator to reset password.");
  const destination = recoveryDestination(pool, user);
  if (!destination) {
    if (hide) return simulatedRecovery(pool, typed);
    throw invalidParameter(NO_RECOVERY_CHANNEL);
  }
  return { kind: "send", user, destination };
}

/** A reset code for `user` at `destination` (replacing any earlier one once it is recorded). */
export function resetCode(
  ctx: ActionContext,
  pool: PoolRecord,
  user: UserRecord,
  destination: CodeDeliveryDetails,
  call: { clientId: string | undefined; clientMetadata: Record<string, string> | undefined },
): Delivery {
  return codeDelivery(ctx, pool, user, destination, {
    purpose: "forgot-password",
    reason: "ForgotPassword",
    ...call,
  });
}

/**
 * Runs UserMigration_ForgotPassword for a name no user answers to and returns the user it describes
 * (not yet stored), or undefined when the function declined. A handler that throws is reported as the
 * user not being found, as Cognito reports it (LEGACY), or hidden like any unknown user (ENABLED).
 */
export async function migrateForRecovery(
  ctx: ActionContext,
  pool: PoolRecord,
  client: ClientRecord,
  typed: string,
  clientMetadata: Record<string, string> | undefined,
): Promise<{ user: UserRecord; forceAliasCreation: boolean; response: Record<string, unknown> } | undefined> {
  let response: Record<string, unknown>;
  try {
    response = await runTrigger(ctx, pool, {
      trigger: "UserMigration",
      triggerSource: "UserMigration_ForgotPassword",
      userName: typed,
      clientId: client.clientId,
      request: { validationData: null, clientMetadata: clientMetadata ?? null },
      response: {
        userAttributes: null,
        finalUserStatus: null,
        messageAction: null,
        desiredDeliveryMediums: null,
        forceAliasCreation: null,
        enableSMSMFA: null,
      },
    });
  } catch (error) {
    if (!(error instanceof CognitoError) || !LAMBDA_ERRORS.has(error.type)) throw error;
    if (preventsUserExistenceErrors(client)) return undefined;
    throw userNotFound(`Exception migrating user in app client ${client.clientId}`);
  }
  const given = response.userAttributes;
  if (!given || typeof given !== "object" || Array.isArray(given)) return undefined;
  const name = newUserName(pool, typed, ctx.random);
  const list = Object.entries(given as Record<string, unknown>)
    // Cognito makes the sub, and the username is the name that was typed.
    .filter(([key, value]) => key !== "sub" && key !== "username" && typeof value === "string")
    .map(([Name, Value]) => ({ Name, Value: Value as string }));
  const attributes = presentAttributes(
    checkAttributes(
      pool,
      [
        ...list.filter((a) => !(a.Name in name.attributes)),
        ...Object.entries(name.attributes).map(([Name, Value]) => ({ Name, Value })),
      ],
      {
        admin: true,
        creating: true,
      },
    ),
  );
  const now = ctx.clock.now();
  return {
    user: {
      poolId: pool.id,
      username: name.username,
      sub: name.sub,
      attributes,
      // The password is the one thing a migration for recovery cannot bring: it is reset next.
      status: "RESET_REQUIRED",
      enabled: true,
      password: undefined,
      createdAt: now,
      lastModifiedAt: now,
    },
    forceAliasCreation: response.forceAliasCreation === true,
    response,
  };
}

/** Stores a migrated user (taking aliases when the function asked to). */
export async function storeMigratedUser(
  tx: StoreTx,
  pool: PoolRecord,
  user: UserRecord,
  forceAliasCreation: boolean,
): Promise<void> {
  if (forceAliasCreation) await takeAliases(tx, pool, user, user.createdAt);
  await insertUser(tx, pool, user);
}
