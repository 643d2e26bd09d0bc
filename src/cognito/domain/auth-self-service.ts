// What the access-token user actions share: the client's WriteAttributes and attribute verification codes.

import type { ClientRecord, PoolRecord, UserRecord } from "../../store/model.js";
import type { StoreTx } from "../../store/port.js";
import type { ActionContext } from "../actions/context.js";
import { invalidParameter, limitExceeded, MESSAGES, notAuthorized } from "../errors.js";
import { issueCode } from "./codes.js";
import { type CodeDeliveryDetails, deliver, details } from "./delivery.js";
import { VERIFIED_FLAGS } from "./schema.js";

/** Attributes that can be verified with a code. */
export const VERIFIABLE = ["email", "phone_number"] as const;

/** A client with WriteAttributes may write only those; without, every mutable attribute. */
export function requireWritable(client: ClientRecord | undefined, names: readonly string[]): void {
  const write = client?.settings.WriteAttributes;
  if (!Array.isArray(write) || write.length === 0) return;
  for (const name of names)
    if (!write.includes(name)) throw notAuthorized("A client attempted to write unauthorized attribute");
}

/** The client's ReadAttributes filter for GetUser (`sub` is always returned). */
export function readableAttributes(client: ClientRecord | undefined): string[] | undefined {
  const read = client?.settings.ReadAttributes;
  if (!Array.isArray(read) || read.length === 0) return undefined;
  return ["sub", ...read.filter((a): a is string => typeof a === "string")];
}

/** An attribute a code can verify, with the value the code goes to. */
export function verifiableValue(user: UserRecord, name: string): string {
  if (!(VERIFIABLE as readonly string[]).includes(name) || !VERIFIED_FLAGS[name])
    throw invalidParameter(`Invalid attribute name: ${name} cannot be verified.`);
  const value = user.attributes[name];
  if (!value) throw invalidParameter(`Invalid attribute name: the user has no ${name}.`);
  return value;
}

/**
 * The `windowStart` of an hour-long counter: the store starts a new window when the current one began
 * before it, so a window that began exactly an hour ago is over.
 */
export const hourWindowStart = (now: number): number => now - 3_600_000 + 1;

/** Per-user limit of GetUserAttributeVerificationCode: 5 an hour (AWS's published figure). */
export const CODE_REQUESTS_PER_HOUR = 5;

export async function countCodeRequest(
  tx: StoreTx,
  pool: PoolRecord,
  user: UserRecord,
  now: number,
): Promise<void> {
  const count = await tx.incrementCounter(
    `verification-code:${pool.id}:${user.username}`,
    hourWindowStart(now),
    now,
  );
  if (count > CODE_REQUESTS_PER_HOUR) throw limitExceeded(MESSAGES.attemptLimit);
}

export interface PendingCode {
  attribute: string;
  value: string;
  code: string;
}

/** Stores a verification code for the attribute (replacing any earlier one); deliver it after the transaction. */
export async function issueVerificationCode(
  tx: StoreTx,
  ctx: ActionContext,
  pool: PoolRecord,
  user: UserRecord,
  attribute: string,
  value: string,
  now: number,
): Promise<PendingCode> {
  const code = await issueCode(tx, ctx.random, pool, user, `verify:${attribute}`, now);
  return { attribute, value, code };
}

/** Sends codes after the transaction committed; returns Cognito's CodeDeliveryDetails for each. */
export async function sendCodes(
  ctx: ActionContext,
  pool: PoolRecord,
  user: UserRecord,
  pending: readonly PendingCode[],
  call: {
    reason: "UpdateUserAttribute" | "VerifyUserAttribute";
    clientId: string | undefined;
    clientMetadata: Record<string, string> | undefined;
  },
): Promise<CodeDeliveryDetails[]> {
  const out: CodeDeliveryDetails[] = [];
  for (const p of pending) {
    const d = details(p.attribute, p.value);
    await deliver(ctx, {
      pool,
      user,
      medium: d.DeliveryMedium,
      destination: p.value,
      code: p.code,
      kind: "verification",
      ...call,
    });
    out.push(d);
  }
  return out;
}
