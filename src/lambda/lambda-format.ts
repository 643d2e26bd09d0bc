// Lambda's own text: error payloads, console and platform log lines, log stream names, as the Node runtime writes them.
import type { InvokeResult } from "./ports.js";

/** The error object Lambda returns as the payload of a failed invocation. */
export interface RapidError {
  errorType: string;
  errorMessage: string;
  trace?: string[] | undefined;
}

/** What the local invokers add to InvokeResult: the invocation's log text (`X-Amz-Log-Type: Tail`). */
export interface InvokeResultWithLog extends InvokeResult {
  log?: string | undefined;
}

export function invocationLog(result: InvokeResult): string | undefined {
  const log = (result as InvokeResultWithLog).log;
  return typeof log === "string" ? log : undefined;
}

function isErrorLike(value: unknown): value is { name: string; message: string; stack: string } {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.name === "string" && typeof v.message === "string" && typeof v.stack === "string";
}

/** The runtime's `toRapidResponse`: Error → {errorType, errorMessage, trace}; anything else by its type. */
export function toRapidError(error: unknown): RapidError {
  try {
    if (error instanceof Error || isErrorLike(error)) {
      const e = error as { name: string; message: string; stack?: string };
      return {
        errorType: String(e.name),
        errorMessage: String(e.message),
        trace: typeof e.stack === "string" ? e.stack.split("\n") : [],
      };
    }
    // `undefined` and `null` have no toString: the runtime then falls back to its "handled" object.
    return { errorType: typeof error, errorMessage: (error as { toString(): string }).toString(), trace: [] };
  } catch {
    // The runtime's own fallback for errors whose fields cannot even be read.
    return {
      errorType: "handled",
      errorMessage:
        "callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack",
    };
  }
}

/**
 * The runtime's `toFormatted`: what follows `Invoke Error` / `Uncaught Exception` in the log — a tab and
 * JSON with `stack` as an array and the error's own enumerable properties.
 */
export function formatLoggedError(error: unknown): string {
  const replacer = (_key: string, value: unknown): unknown => {
    if (value instanceof Error || isErrorLike(value)) {
      const e = value as Error;
      return {
        errorType: e.name,
        errorMessage: e.message,
        code: (value as { code?: unknown }).code,
        ...(value as object),
        stack: typeof e.stack === "string" ? e.stack.split("\n") : [],
      };
    }
    return value;
  };
  try {
    return `\t${JSON.stringify(error, replacer)}`;
  } catch {
    return `\t${JSON.stringify(toRapidError(error))}`;
  }
}

/** `2026-01-15T12:00:00.000Z\t<requestId>\tINFO\t<message>\n`: a console line in Lambda's text format. */
export function consoleLine(timestamp: number, requestId: string, level: string, text: string): string {
  return `${new Date(timestamp).toISOString()}\t${requestId}\t${level}\t${text}\n`;
}

export const startLine = (requestId: string): string => `START RequestId: ${requestId} Version: $LATEST\n`;
export const endLine = (requestId: string): string => `END RequestId: ${requestId}\n`;

export interface Report {
  requestId: string;
  durationMs: number;
  memorySize: number;
  maxMemoryUsedMb: number;
  /** Only on the first invocation of an execution environment (a cold start). */
  initDurationMs?: number | undefined;
  status?: "timeout" | "error" | undefined;
  errorType?: string | undefined;
}

/** Lambda ends every field of REPORT with a tab, the last one included. */
export function reportLine(report: Report): string {
  const fields = [
    `Duration: ${report.durationMs.toFixed(2)} ms`,
    `Billed Duration: ${Math.max(1, Math.ceil(report.durationMs))} ms`,
    `Memory Size: ${report.memorySize} MB`,
    `Max Memory Used: ${Math.max(1, Math.ceil(report.maxMemoryUsedMb))} MB`,
  ];
  if (report.initDurationMs !== undefined)
    fields.push(`Init Duration: ${report.initDurationMs.toFixed(2)} ms`);
  if (report.status) fields.push(`Status: ${report.status}`);
  if (report.errorType) fields.push(`Error Type: ${report.errorType}`);
  return `REPORT RequestId: ${report.requestId}\t${fields.map((f) => `${f}\t`).join("")}\n`;
}

/** `2026/01/15/[$LATEST]<32 hex>`: one stream per execution environment (here: per worker). */
export function logStreamName(timestamp: number, hex32: string): string {
  const date = new Date(timestamp).toISOString().slice(0, 10).replace(/-/g, "/");
  return `${date}/[$LATEST]${hex32}`;
}

export const logGroupName = (functionName: string): string => `/aws/lambda/${functionName}`;

/** Seconds as Lambda prints them in `Task timed out after 3.00 seconds`. */
export const seconds = (ms: number): string => (ms / 1000).toFixed(2);

/** The payload of an invocation stopped at its deadline. */
export function timeoutError(requestId: string, elapsedMs: number): RapidError {
  return {
    errorType: "Sandbox.Timedout",
    errorMessage: `RequestId: ${requestId} Error: Task timed out after ${seconds(elapsedMs)} seconds`,
  };
}

/** The log line Lambda writes when it stops a timed-out invocation (spaces, no level). */
export function timeoutLine(timestamp: number, requestId: string, elapsedMs: number): string {
  return `${new Date(timestamp).toISOString()} ${requestId} Task timed out after ${seconds(elapsedMs)} seconds\n`;
}

/** The payload when the runtime process ended during an invocation (`process.exit`, out of memory). */
export function exitError(
  requestId: string,
  errorType: "Runtime.ExitError" | "Runtime.OutOfMemory",
  reason: string,
): RapidError {
  return { errorType, errorMessage: `RequestId: ${requestId} Error: ${reason}` };
}

/** `exit status 1`, or Lambda's wording for an exit with status 0 in the middle of an invocation. */
export function exitReason(code: number): string {
  return code === 0
    ? "Runtime exited without providing a reason"
    : `Runtime exited with error: exit status ${code}`;
}
