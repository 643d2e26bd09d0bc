// What the access-token user actions share: the client's WriteAttributes and attribute verification codes.

import type { ClientRecord, PoolRecord, UserRecord } from "../../store/model.js";
import type { StoreTx } from "../../store/port.js";
import type { ActionContext } from "../context.js";
import { invalidParameter, limitExceeded, MESSAGES, notAuthorized } from "../errors.js";
import { newCode } from "./codes.js";
import { type CodeDeliveryDetails, details } from "./delivery.js";
import type { Delivery } from "./messages.js";
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

/** Why a verification code goes out: a changed attribute, or one the user asked to verify. */
export interface VerificationCall {
  reason: "UpdateUserAttribute" | "VerifyUserAttribute";
  clientId: string | undefined;
  clientMetadata: Record<string, string> | undefined;
}

/** A code to verify `attribute` of `user` (as the change leaves them), sent to its value. */
export function verificationCode(
  ctx: ActionContext,
  pool: PoolRecord,
  user: UserRecord,
  attribute: string,
  call: VerificationCall,
): Delivery {
  const value = user.attributes[attribute] ?? "";
  return {
    pool,
    user,
    medium: details(attribute, value).DeliveryMedium,
    destination: value,
    code: newCode(ctx.random),
    purpose: `verify:${attribute}`,
    kind: "verification",
    ...call,
  };
}

const attributeOf = (d: Delivery): string => (d.purpose ?? "").slice("verify:".length);

/**
 * Whether a code composed before the write is still wanted once the write has read the user again:
 * the attribute still needs verifying and still has the value the code went to.
 */
export function stillWanted(toVerify: readonly string[], user: UserRecord): (d: Delivery) => boolean {
  return (d) => toVerify.includes(attributeOf(d)) && user.attributes[attributeOf(d)] === d.destination;
}

/** Cognito's CodeDeliveryDetails for a verification code. */
export function codeDetails(d: Delivery): CodeDeliveryDetails {
  return details(attributeOf(d), d.destination);
}
