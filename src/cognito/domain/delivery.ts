// Messages the pool would send: where a code goes, how Cognito masks it, the templates, CustomMessage and the custom senders, and the outbox.

import type { OutboxMessage, PoolRecord, UserRecord } from "../../store/model.js";
import { customMessageProblem } from "../../triggers/validate-response.js";
import type { ActionContext } from "../actions/context.js";
import { CognitoError } from "../errors.js";
import { functionArnFor, kmsKeyIdOf } from "../trigger-runner/lambda-config.js";
import { autoVerifiedAttributes, lambdaConfig } from "./pools.js";
import { runAsyncTrigger, runTrigger } from "./triggers.js";
import { triggerAttributes } from "./users.js";

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

/** Why a message goes out: the suffix of the CustomMessage / custom sender trigger source it fires. */
export type DeliveryReason =
  | "SignUp"
  | "ResendCode"
  | "ForgotPassword"
  | "AdminCreateUser"
  | "UpdateUserAttribute"
  | "VerifyUserAttribute";

export interface Delivery {
  pool: PoolRecord;
  user: UserRecord;
  medium: Medium;
  destination: string;
  code: string;
  kind: MessageKind;
  reason: DeliveryReason;
  /** The app client of the call; undefined for admin APIs (callerContext.clientId CLIENT_ID_NOT_APPLICABLE). */
  clientId: string | undefined;
  /** The call's ClientMetadata: CustomMessage and the custom senders receive it. */
  clientMetadata: Record<string, string> | undefined;
}

const SENDERS: Record<Medium, "CustomEmailSender" | "CustomSMSSender"> = {
  EMAIL: "CustomEmailSender",
  SMS: "CustomSMSSender",
};

const fillIn = (text: string, values: { code: string; username: string }) =>
  text.replaceAll("{####}", values.code).replaceAll("{username}", values.username);

const stringOrNull = (v: unknown): string | null => (typeof v === "string" ? v : null);

/**
 * CustomMessage: the handler gets the placeholders, not the code, and its non-null messages replace the
 * pool's template for the channel; Cognito fills the placeholders in afterwards. A message it cannot
 * send (no `{####}`, empty, too long) fails the call; the user record the call made stays.
 */
async function customMessage(
  ctx: ActionContext,
  d: Delivery,
  template: { subject: string | undefined; body: string },
): Promise<{ subject: string | undefined; body: string }> {
  const triggerSource = `CustomMessage_${d.reason}`;
  const response = await runTrigger(ctx, d.pool, {
    trigger: "CustomMessage",
    triggerSource,
    userName: d.user.username,
    clientId: d.clientId,
    request: {
      userAttributes: triggerAttributes(d.user),
      codeParameter: "{####}",
      linkParameter: "{##Click Here##}",
      usernameParameter: d.reason === "AdminCreateUser" ? "{username}" : null,
      clientMetadata: d.clientMetadata ?? null,
    },
    response: { smsMessage: null, emailMessage: null, emailSubject: null },
  });
  const messages = {
    smsMessage: stringOrNull(response.smsMessage),
    emailMessage: stringOrNull(response.emailMessage),
    emailSubject: stringOrNull(response.emailSubject),
  };
  const values = { code: d.code, username: d.user.username };
  const problem = customMessageProblem(triggerSource, d.medium, messages, (text) => fillIn(text, values));
  if (problem) throw new CognitoError(problem.type, problem.message);
  if (d.medium === "SMS")
    return {
      subject: undefined,
      body: messages.smsMessage === null ? template.body : fillIn(messages.smsMessage, values),
    };
  return {
    subject: messages.emailSubject === null ? template.subject : fillIn(messages.emailSubject, values),
    body: messages.emailMessage === null ? template.body : fillIn(messages.emailMessage, values),
  };
}

/** Cognito HTML-escapes temporary passwords before encrypting them for a custom sender [D]. */
const htmlEscape = (text: string) =>
  text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");

/**
 * A custom sender replaces Cognito's delivery on its channel: it is invoked asynchronously with the code
 * encrypted under the pool's KMSKeyID, and whatever it does cannot fail the call.
 */
async function customSender(
  ctx: ActionContext,
  d: Delivery,
  sender: "CustomEmailSender" | "CustomSMSSender",
): Promise<void> {
  const config = lambdaConfig(d.pool);
  const keyId = kmsKeyIdOf(config);
  const plaintext = d.kind === "invitation" ? htmlEscape(d.code) : d.code;
  let code: string | null = null;
  if (!keyId || !ctx.triggers.encryptCode) {
    ctx.logger.warn("custom sender gets no code: no KMSKeyID or no encryption", {
      userPoolId: d.pool.id,
      sender,
    });
  } else {
    try {
      code = await ctx.triggers.encryptCode({ keyId, plaintext, userPoolId: d.pool.id });
    } catch (error) {
      // The message cannot be sent, but like any custom sender failure it does not fail the call.
      ctx.logger.warn("custom sender code not encrypted", {
        userPoolId: d.pool.id,
        sender,
        error: String(error),
      });
      return;
    }
  }
  runAsyncTrigger(ctx, d.pool, {
    trigger: sender,
    triggerSource: `${sender}_${d.reason}`,
    userName: d.user.username,
    clientId: d.clientId,
    request: {
      type: sender === "CustomEmailSender" ? "customEmailSenderRequestV1" : "customSMSSenderRequestV1",
      code,
      clientMetadata: d.clientMetadata ?? null,
      userAttributes: triggerAttributes(d.user),
    },
    response: {},
  });
}

/**
 * Sends a message as the pool would, after the action's state change committed: a custom sender for the
 * channel takes it over (CustomMessage is then not used for that channel), else CustomMessage may
 * rewrite the template. The outbox (the developer's window on codes) records the message as sent, with
 * the plain code, whichever path it took.
 */
export async function deliver(ctx: ActionContext, delivery: Delivery): Promise<void> {
  let message = renderMessage(delivery.pool, delivery.kind, delivery.medium, {
    code: delivery.code,
    username: delivery.user.username,
  });
  const config = lambdaConfig(delivery.pool);
  const sender = SENDERS[delivery.medium];
  if (functionArnFor(sender, config)) await customSender(ctx, delivery, sender);
  else if (functionArnFor("CustomMessage", config)) message = await customMessage(ctx, delivery, message);
  if (!ctx.config.outbox) return;
  const record: OutboxMessage = {
    userPoolId: delivery.pool.id,
    username: delivery.user.username,
    sub: delivery.user.sub,
    medium: delivery.medium,
    destination: delivery.destination,
    subject: message.subject,
    body: message.body,
    code: delivery.code,
    reason: delivery.reason,
    createdAt: ctx.clock.now(),
  };
  await ctx.store.transaction((tx) => tx.addOutboxMessage(record));
}

/**
 * The welcome message of a user brought in by UserMigration (unless the function said SUPPRESS): the
 * pool's invitation template, which is the message Cognito's messageAction / desiredDeliveryMediums
 * govern elsewhere (AdminCreateUser), with no temporary password to fill in. Default medium SMS; a
 * medium the user has no address for is skipped. No trigger source exists for it, so neither
 * CustomMessage nor a custom sender runs [U].
 */
export async function deliverWelcome(
  ctx: ActionContext,
  pool: PoolRecord,
  user: UserRecord,
  response: { messageAction?: unknown; desiredDeliveryMediums?: unknown },
): Promise<void> {
  if (response.messageAction === "SUPPRESS" || !ctx.config.outbox) return;
  const wanted = Array.isArray(response.desiredDeliveryMediums)
    ? response.desiredDeliveryMediums.filter((m): m is Medium => m === "EMAIL" || m === "SMS")
    : ["SMS" as const];
  for (const medium of new Set(wanted)) {
    const destination = user.attributes[medium === "EMAIL" ? "email" : "phone_number"];
    if (!destination) continue;
    const { subject, body } = renderMessage(pool, "invitation", medium, {
      code: "",
      username: user.username,
    });
    const record: OutboxMessage = {
      userPoolId: pool.id,
      username: user.username,
      sub: user.sub,
      medium,
      destination,
      subject,
      body,
      code: undefined,
      reason: "UserMigration",
      createdAt: ctx.clock.now(),
    };
    await ctx.store.transaction((tx) => tx.addOutboxMessage(record));
  }
}
