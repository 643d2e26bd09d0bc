// Cognito's answers when a trigger fails: every way an invocation can go wrong, mapped to the exception the caller sees.

import type { InvokeResult } from "../../lambda/ports.js";
import { LambdaServiceError } from "../../lambda/ports.js";
import { type ResponseProblem, UNRECOGNIZABLE, validateResponse } from "../../triggers/validate-response.js";
import { CognitoError } from "../errors.js";

const unexpected = (trigger: string, cause: string) =>
  new CognitoError("UnexpectedLambdaException", `${trigger} invocation failed due to error ${cause}.`);

/** Every attempt ran past the deadline (Cognito gives up after three). */
export const timedOut = (trigger: string): CognitoError =>
  unexpected(trigger, "Socket timeout while invoking Lambda function");

/**
 * Lambda refused the invocation (no such function, no permission, throttled): Cognito names Lambda's
 * error code. Anything else that broke the call itself (a refused connection to a remote endpoint) is
 * reported the same way under the error's name.
 */
export function invocationFailed(trigger: string, error: unknown): CognitoError {
  if (error instanceof LambdaServiceError) return unexpected(trigger, error.code);
  const name = error instanceof Error && error.name !== "Error" ? error.name : "ServiceException";
  return unexpected(trigger, name);
}

/** The text after "failed with error ": the handler's message, or the runtime's description when it has none. */
function handlerMessage(payload: string, requestId: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    parsed = undefined;
  }
  if (typeof parsed === "string" && parsed !== "") return parsed;
  const error = typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : {};
  const message = error.errorMessage;
  if (typeof message === "string" && message !== "") return message;
  const type = typeof error.errorType === "string" && error.errorType !== "" ? error.errorType : "Unhandled";
  return `RequestId: ${requestId} Error: ${type}`;
}

/** The handler threw or the runtime failed: the period is appended even after one the message has. */
export const handlerFailed = (trigger: string, result: InvokeResult): CognitoError =>
  new CognitoError(
    "UserLambdaValidationException",
    `${trigger} failed with error ${handlerMessage(result.payload, result.requestId)}.`,
  );

export const invalidJson = (): CognitoError =>
  new CognitoError("InvalidLambdaResponseException", "Invalid lambda function output : Invalid JSON");

export const fromProblem = (problem: ResponseProblem): CognitoError =>
  new CognitoError(problem.type, problem.message);

/**
 * The `response` of a successful invocation, read as Cognito reads it: the payload must be JSON and an
 * object (the whole event; a handler that returns nothing is "Unrecognizable lambda output"), and its
 * `response` must fit the trigger. Only `response` is read; edits elsewhere in the event are ignored.
 */
export function responseOf(trigger: string, version: string, result: InvokeResult): Record<string, unknown> {
  if (result.functionError) throw handlerFailed(trigger, result);
  let parsed: unknown;
  try {
    parsed = JSON.parse(result.payload);
  } catch {
    throw invalidJson();
  }
  const event =
    typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  if (!event) throw fromProblem({ type: "InvalidLambdaResponseException", message: UNRECOGNIZABLE });
  const check = validateResponse(trigger, version, event.response);
  if (!check.ok) throw fromProblem(check.problem);
  return check.response;
}
