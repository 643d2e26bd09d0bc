// Messages the pool would send: where a code goes, how Cognito masks it, and the pool's templates (sending is messages.ts).

import type { PoolRecord, UserRecord } from "../../store/model.js";
import { autoVerifiedAttributes } from "./pools.js";

export type Medium = "EMAIL" | "SMS";

export interface CodeDeliveryDetails {
  Destination: string;
  DeliveryMedium: Medium;
  AttributeName: string;
}

/** `a***@e***` for email, `+*******0123` for phone numbers, as Cognito masks destinations. */
export function maskDestination(medium: Medium, value: string): string {
  if (medium === "EMAIL") {
    const [local = "", domain = ""] = value.split("@");
    return `${local.charAt(0)}***@${domain.charAt(0)}***`;
  }
  return `+${"*".repeat(Math.max(value.length - 5, 0))}${value.slice(-4)}`;
}

export function details(attribute: string, value: string): CodeDeliveryDetails {
  const medium: Medium = attribute === "phone_number" ? "SMS" : "EMAIL";
  return { Destination: maskDestination(medium, value), DeliveryMedium: medium, AttributeName: attribute };
}

/**
 * Where a sign-up confirmation code goes: an auto-verified attribute the user has. With both email
 * and phone auto-verified Cognito sends an SMS.
 */
export function signUpDestination(pool: PoolRecord, user: UserRecord): CodeDeliveryDetails | undefined {
  const auto = autoVerifiedAttributes(pool);
  for (const attribute of ["phone_number", "email"]) {
    const value = user.attributes[attribute];
    if (auto.includes(attribute) && value) return details(attribute, value);
  }
  return undefined;
}

/**
 * Where a forgot-password code goes: `AccountRecoverySetting` priority, or the legacy rule (verified
 * phone first, then verified email).
 */
export function recoveryDestination(pool: PoolRecord, user: UserRecord): CodeDeliveryDetails | undefined {
  const setting = pool.settings.AccountRecoverySetting as
    | { RecoveryMechanisms?: { Name: string; Priority: number }[] }
    | undefined;
  const order = setting?.RecoveryMechanisms
    ? [...setting.RecoveryMechanisms].sort((a, b) => a.Priority - b.Priority).map((m) => m.Name)
    : ["verified_phone_number", "verified_email"];
  for (const mechanism of order) {
    const attribute =
      mechanism === "verified_phone_number"
        ? "phone_number"
        : mechanism === "verified_email"
          ? "email"
          : undefined;
    if (!attribute) continue;
    const value = user.attributes[attribute];
    if (value && user.attributes[`${attribute}_verified`] === "true") return details(attribute, value);
  }
  return undefined;
}

const DEFAULT_VERIFICATION = {
  EmailSubject: "Your verification code",
  EmailMessage: "Your verification code is {####}. ",
  SmsMessage: "Your verification code is {####}. ",
};

const DEFAULT_INVITATION = {
  EmailSubject: "Your temporary password",
  EmailMessage: "Your username is {username} and temporary password is {####}. ",
  SMSMessage: "Your username is {username} and temporary password is {####}. ",
};

export type MessageKind = "verification" | "invitation";

/** Subject and body from the pool's templates (VerificationMessageTemplate / InviteMessageTemplate). */
export function renderMessage(
  pool: PoolRecord,
  kind: MessageKind,
  medium: Medium,
  values: { code: string; username: string },
): { subject: string | undefined; body: string } {
  const s = pool.settings;
  let subject: string | undefined;
  let body: string;
  if (kind === "invitation") {
    const config =
      (s.AdminCreateUserConfig as { InviteMessageTemplate?: Record<string, string> } | undefined)
        ?.InviteMessageTemplate ?? {};
    subject = medium === "EMAIL" ? (config.EmailSubject ?? DEFAULT_INVITATION.EmailSubject) : undefined;
    body =
      medium === "EMAIL"
        ? (config.EmailMessage ?? DEFAULT_INVITATION.EmailMessage)
        : (config.SMSMessage ?? DEFAULT_INVITATION.SMSMessage);
  } else {
    const template = (s.VerificationMessageTemplate as Record<string, string> | undefined) ?? {};
    subject =
      medium === "EMAIL"
        ? (template.EmailSubject ??
          (s.EmailVerificationSubject as string | undefined) ??
          DEFAULT_VERIFICATION.EmailSubject)
        : undefined;
    body =
      medium === "EMAIL"
        ? (template.EmailMessage ??
          (s.EmailVerificationMessage as string | undefined) ??
          DEFAULT_VERIFICATION.EmailMessage)
        : (template.SmsMessage ??
          (s.SmsVerificationMessage as string | undefined) ??
          DEFAULT_VERIFICATION.SmsMessage);
  }
  const fill = (text: string) =>
    text.replaceAll("{####}", values.code).replaceAll("{username}", values.username);
  return { subject: subject === undefined ? undefined : fill(subject), body: fill(body) };
}
