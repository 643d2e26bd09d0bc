// Messages a change owes the user, in three steps around the one transaction that makes the change: compose before it, record in it, send after it.

import type { CodePurpose, OutboxMessage, PoolRecord, UserRecord } from "../../store/model.js";
import type { StoreTx } from "../../store/port.js";
import { customMessageProblem } from "../../triggers/validate-response.js";
import type { ActionContext } from "../context.js";
import { CognitoError } from "../errors.js";
import { functionArnFor, kmsKeyIdOf } from "../trigger-runner/lambda-config.js";
import { newCode, storeCode } from "./codes.js";
import { type CodeDeliveryDetails, type Medium, type MessageKind, renderMessage } from "./delivery.js";
import { lambdaConfig } from "./pools.js";
import { runAsyncTrigger, runTrigger } from "./triggers.js";
import { triggerAttributes } from "./users.js";

/** Why a message goes out: the suffix of the CustomMessage / custom sender trigger source it fires. */
export type DeliveryReason =
  | "SignUp"
  | "ResendCode"
  | "ForgotPassword"
  | "AdminCreateUser"
  | "UpdateUserAttribute"
  | "VerifyUserAttribute";

/** One message to one address; the code is made before the transaction that stores it. */
export interface Delivery {
  pool: PoolRecord;
  /** The user as the change leaves them: CustomMessage and the custom senders see these attributes. */
  user: UserRecord;
  medium: Medium;
  destination: string;
  code: string;
  /** Where the code is kept; undefined for a temporary password, which is kept with the user. */
  purpose: CodePurpose | undefined;
  kind: MessageKind;
  reason: DeliveryReason;
  /** The app client of the call; undefined for admin APIs (callerContext.clientId CLIENT_ID_NOT_APPLICABLE). */
  clientId: string | undefined;
  /** The call's ClientMetadata: CustomMessage and the custom senders receive it. */
  clientMetadata: Record<string, string> | undefined;
}

/** A new verification code for `user`, to the attribute and medium `to` names (its CodeDeliveryDetails). */
export function codeDelivery(
  ctx: Pick<ActionContext, "random">,
  pool: PoolRecord,
  user: UserRecord,
  to: CodeDeliveryDetails,
  call: Pick<Delivery, "purpose" | "reason" | "clientId" | "clientMetadata">,
): Delivery {
  return {
    pool,
    user,
    medium: to.DeliveryMedium,
    destination: user.attributes[to.AttributeName] ?? "",
    code: newCode(ctx.random),
    kind: "verification",
    ...call,
  };
}

/** A message with its final text, ready for the outbox. */
interface Composed {
  delivery: Delivery;
  subject: string | undefined;
  body: string;
}

export interface Outgoing {
  composed: Composed[];
  /**
   * What stopped composing (CustomMessage failed or refused the message). The change still commits, as
   * Cognito keeps a user whose message could not be sent; `sendMessages` throws it afterwards.
   */
  failure: { error: unknown } | undefined;
}

const SENDERS: Record<Medium, "CustomEmailSender" | "CustomSMSSender"> = {
  EMAIL: "CustomEmailSender",
  SMS: "CustomSMSSender",
};

/** The custom sender that takes the delivery's channel over, when the pool has one. */
function senderOf(d: Delivery): "CustomEmailSender" | "CustomSMSSender" | undefined {
  const sender = SENDERS[d.medium];
  return functionArnFor(sender, lambdaConfig(d.pool)) ? sender : undefined;
}

/** Whether the delivery's text comes from CustomMessage (a custom sender on the channel replaces it). */
const usesCustomMessage = (d: Delivery): boolean =>
  !senderOf(d) && functionArnFor("CustomMessage", lambdaConfig(d.pool)) !== undefined;

/** Whether composing these runs a trigger. */
export function composeRunsTrigger(deliveries: readonly Delivery[]): boolean {
  return deliveries.some(usesCustomMessage);
}

const fillIn = (text: string, values: { code: string; username: string }) =>
  text.replaceAll("{####}", values.code).replaceAll("{username}", values.username);

const stringOrNull = (v: unknown): string | null => (typeof v === "string" ? v : null);

/**
 * CustomMessage: the handler gets the placeholders, not the code, and its non-null messages replace the
 * pool's template for the channel; Cognito fills the placeholders in afterwards. A message it cannot
 * send (no `{####}`, empty, too long) is a CognitoError.
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

/** The text of one message: the pool's template, or CustomMessage's when no custom sender has the channel. */
async function compose(ctx: ActionContext, d: Delivery): Promise<Composed> {
  const template = renderMessage(d.pool, d.kind, d.medium, { code: d.code, username: d.user.username });
  const text = usesCustomMessage(d) ? await customMessage(ctx, d, template) : template;
  return { delivery: d, ...text };
}

/**
 * Step one, outside any transaction (a handler may take seconds and transactions are serialised):
 * the final text of each message. Composing stops at the first failure, as sending one message after
 * another would.
 */
export async function composeMessages(
  ctx: ActionContext,
  deliveries: readonly Delivery[],
): Promise<Outgoing> {
  const composed: Composed[] = [];
  for (const d of deliveries) {
    try {
      composed.push(await compose(ctx, d));
    } catch (error) {
      return { composed, failure: { error } };
    }
  }
  return { composed, failure: undefined };
}

function outboxRecord(ctx: ActionContext, m: Composed): OutboxMessage {
  const d = m.delivery;
  return {
    userPoolId: d.pool.id,
    username: d.user.username,
    sub: d.user.sub,
    medium: d.medium,
    destination: d.destination,
    subject: m.subject,
    body: m.body,
    code: d.code,
    reason: d.reason,
    createdAt: ctx.clock.now(),
  };
}

/**
 * Step two, inside the transaction of the change (after its user write): each composed message's code
 * is stored and the outbox (the developer's window on codes) records the message with the plain code,
 * so that a code never commits without the message that carries it, nor a message without its code.
 * A message that could not be composed leaves no code: nobody could have received it.
 */
export async function recordMessages(tx: StoreTx, ctx: ActionContext, outgoing: Outgoing): Promise<void> {
  const now = ctx.clock.now();
  for (const m of outgoing.composed) {
    const d = m.delivery;
    if (d.purpose) await storeCode(tx, d.pool, d.user, d.purpose, d.code, now);
    if (ctx.config.outbox) await tx.addOutboxMessage(outboxRecord(ctx, m));
  }
}

/**
 * Only the messages the change still calls for once its transaction has read the user again (another
 * call may have changed them while CustomMessage ran).
 */
export function keepMessages(outgoing: Outgoing, keep: (d: Delivery) => boolean): Outgoing {
  return { ...outgoing, composed: outgoing.composed.filter((m) => keep(m.delivery)) };
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
  const keyId = kmsKeyIdOf(lambdaConfig(d.pool));
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
 * Step three, after the change committed: custom senders get their codes (they run asynchronously and
 * may look the user up, so never before the user exists), then a composing failure reaches the caller.
 */
export async function sendMessages(ctx: ActionContext, outgoing: Outgoing): Promise<void> {
  for (const { delivery } of outgoing.composed) {
    const sender = senderOf(delivery);
    if (sender) await customSender(ctx, delivery, sender);
  }
  if (outgoing.failure) throw outgoing.failure.error;
}

/**
 * The welcome messages of a user brought in by UserMigration (unless the function said SUPPRESS), to
 * record in the transaction that stores the user: the pool's invitation template, which is the message
 * Cognito's messageAction / desiredDeliveryMediums govern elsewhere (AdminCreateUser), with no
 * temporary password to fill in. Default medium SMS; a medium the user has no address for is skipped.
 * No trigger source exists for it, so neither CustomMessage nor a custom sender runs [U].
 */
export function welcomeMessages(
  ctx: ActionContext,
  pool: PoolRecord,
  user: UserRecord,
  response: { messageAction?: unknown; desiredDeliveryMediums?: unknown },
): OutboxMessage[] {
  if (response.messageAction === "SUPPRESS" || !ctx.config.outbox) return [];
  const wanted = Array.isArray(response.desiredDeliveryMediums)
    ? response.desiredDeliveryMediums.filter((m): m is Medium => m === "EMAIL" || m === "SMS")
    : ["SMS" as const];
  const out: OutboxMessage[] = [];
  for (const medium of new Set(wanted)) {
    const destination = user.attributes[medium === "EMAIL" ? "email" : "phone_number"];
    if (!destination) continue;
    const { subject, body } = renderMessage(pool, "invitation", medium, {
      code: "",
      username: user.username,
    });
    out.push({
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
    });
  }
  return out;
}
