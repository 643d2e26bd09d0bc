// Messages between the worker invoker and a handler's worker thread (structured-clone plain data only).
import type { RapidError } from "./lambda-format.js";

/** What a worker needs to load its handler and build the Lambda context. */
export interface WorkerConfig {
  /** The module to import: the handler's own .js/.mjs/.cjs, or the esbuild bundle of its TypeScript. */
  modulePath: string;
  /** Possibly nested (`handlers.main`), as Lambda's Node runtime resolves it. */
  exportName: string;
  /** `src/handlers/x.handler`: how Lambda names the handler in HandlerNotFound errors. */
  handlerLabel: string;
  functionName: string;
  memorySize: number;
  logGroupName: string;
  logStreamName: string;
}

export interface InvokeMessage {
  t: "invoke";
  requestId: string;
  payload: string;
  invokedFunctionArn: string;
  /** The function's own timeout: what `getRemainingTimeInMillis()` counts down from. */
  timeoutMs: number;
}

export type ToWorker = InvokeMessage;

export type FromWorker =
  /** The handler module loaded; `initMs` is the worker's start to that point. */
  | { t: "ready"; initMs: number }
  | { t: "initError"; error: RapidError }
  /** `level` absent: raw stdout/stderr output, kept as written. */
  | { t: "log"; requestId: string; level?: string | undefined; text: string }
  | { t: "done"; requestId: string; payload: string; durationMs: number; memoryMb: number }
  | { t: "error"; requestId: string; error: RapidError; durationMs: number; memoryMb: number }
  /** An uncaught exception or unhandled rejection: the worker exits right after sending this. */
  | { t: "fatal"; error: RapidError };
