// defineTrigger: a Lambda handler typed by its LambdaConfig slot, and small helpers trigger code keeps needing.
import type { LambdaConfigTrigger } from "./catalog.js";
import type { CustomMessageEvent, CustomMessageResponse, TriggerEvent } from "./events.js";

/** The Lambda `context` object of the Node.js runtime (the members a trigger uses). */
export interface LambdaContext {
  callbackWaitsForEmptyEventLoop: boolean;
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  awsRequestId: string;
  logGroupName: string;
  logStreamName: string;
  getRemainingTimeInMillis(): number;
}

export type LambdaCallback<R> = (error?: Error | string | null, result?: R) => void;

/**
 * What `defineTrigger` accepts: an async handler returning the (modified) event, or a callback-style one.
 * Declared as a method so that a handler typed with @types/aws-lambda's event, which Cognito's `null`s
 * make differ from ours, is still accepted.
 */
export type TriggerHandler<T extends LambdaConfigTrigger> = {
  handler(
    event: TriggerEvent<T>,
    context: LambdaContext,
    callback: LambdaCallback<TriggerEvent<T>>,
    // biome-ignore lint/suspicious/noConfusingVoidType: callback-style handlers return whatever `callback(...)` returns.
  ): void | Promise<TriggerEvent<T>>;
}["handler"];

/** What `defineTrigger` returns: an async Lambda handler (assignable to @types/aws-lambda's handler types). */
export type CognitoTriggerHandler<T extends LambdaConfigTrigger> = {
  handler(event: TriggerEvent<T>, context: LambdaContext): Promise<TriggerEvent<T>>;
}["handler"];

/**
 * A Lambda handler for one trigger: `event` is the union of that trigger's sources (narrow it on
 * `event.triggerSource`), and the handler returns the whole event with its `response` filled in, as
 * Cognito requires. Callback-style handlers work too; either way the result is an async handler.
 *
 * ```ts
 * export const handler = defineTrigger("PreSignUp", async (event) => {
 *   if (event.triggerSource === "PreSignUp_SignUp") event.response.autoConfirmUser = true;
 *   return event;
 * });
 * ```
 */
export function defineTrigger<T extends LambdaConfigTrigger>(
  _trigger: T,
  handler: TriggerHandler<T>,
): CognitoTriggerHandler<T> {
  return (event, context) =>
    new Promise<TriggerEvent<T>>((resolve, reject) => {
      const callback: LambdaCallback<TriggerEvent<T>> = (error, result) => {
        if (error === undefined || error === null) resolve(result as TriggerEvent<T>);
        else reject(typeof error === "string" ? new Error(error) : error);
      };
      try {
        const returned = handler(event, context, callback);
        if (isThenable(returned)) returned.then(resolve, reject);
      } catch (error) {
        reject(error);
      }
    });
}

function isThenable(value: unknown): value is PromiseLike<TriggerEvent<LambdaConfigTrigger>> {
  return typeof (value as { then?: unknown } | undefined)?.then === "function";
}

/**
 * Narrows an event to some of its sources: `if (isSource(event, "CustomMessage_SignUp", "CustomMessage_ResendCode"))`.
 * (A single `event.triggerSource === "..."` narrows as well.)
 */
export function isSource<E extends { triggerSource: string }, S extends E["triggerSource"]>(
  event: E,
  ...sources: S[]
): event is Extract<E, { triggerSource: S }> {
  return (sources as string[]).includes(event.triggerSource);
}

/** The placeholders a CustomMessage handler writes; Cognito substitutes them after the handler returns. */
export interface MessagePlaceholders {
  /** `{####}`: the code, or the temporary password for CustomMessage_AdminCreateUser. */
  code: string;
  /** `{username}` for CustomMessage_AdminCreateUser (Cognito requires it there); otherwise the user name itself. */
  username: string;
  /** The verify-by-link placeholder. */
  link: string;
}

export type CustomMessage = Partial<CustomMessageResponse>;

/**
 * Sets a CustomMessage event's response from the placeholders and returns the event:
 *
 * ```ts
 * return customMessage(event, ({ code, username }) => ({
 *   emailSubject: "Welcome",
 *   emailMessage: `Hello ${username}, your code is ${code}`,
 * }));
 * ```
 * Members left out keep their value (null: the pool's own template for that channel).
 */
export function customMessage<E extends CustomMessageEvent>(
  event: E,
  message: CustomMessage | ((placeholders: MessagePlaceholders) => CustomMessage),
): E {
  const parts =
    typeof message === "function"
      ? message({
          code: event.request.codeParameter,
          username: event.request.usernameParameter ?? event.userName,
          link: event.request.linkParameter,
        })
      : message;
  for (const key of ["smsMessage", "emailMessage", "emailSubject"] as const) {
    const value = parts[key];
    if (value !== undefined) event.response[key] = value;
  }
  return event;
}
