// Worker-thread entry of the local Lambda runtime: loads one handler and runs each invocation the parent sends, Lambda-style.
import { pathToFileURL } from "node:url";
import { format } from "node:util";
import { getHeapStatistics } from "node:v8";
import { type MessagePort, parentPort, workerData } from "node:worker_threads";
import { formatLoggedError, type RapidError, toRapidError } from "./lambda-format.js";
import type { FromWorker, InvokeMessage, ToWorker, WorkerConfig } from "./worker-protocol.js";

type Handler = (
  event: unknown,
  context: unknown,
  callback: (error?: unknown, result?: unknown) => void,
) => unknown;

if (!parentPort) throw new Error("worker.ts runs only as a worker thread");
const port: MessagePort = parentPort;
/** Worker threads share the process's performance clock, so init is measured from the worker's own start. */
const STARTED = performance.now();
const config = workerData as WorkerConfig;
// TypeScript handlers run from a bundle with an inline source map: traces then name the .ts files.
process.setSourceMapsEnabled(true);

/** Log lines carry the id of the invocation running when they are written, `undefined` during init. */
let currentRequestId = "undefined";
let peakMemoryMb = 0;

function send(message: FromWorker): void {
  port.postMessage(message);
}

function log(level: string, args: unknown[]): void {
  send({ t: "log", requestId: currentRequestId, level, text: format(...args) });
}

// The runtime replaces console so every line is framed with time, request id and level.
console.log = (...args: unknown[]) => log("INFO", args);
console.info = (...args: unknown[]) => log("INFO", args);
console.warn = (...args: unknown[]) => log("WARN", args);
console.error = (...args: unknown[]) => log("ERROR", args);
console.debug = (...args: unknown[]) => log("DEBUG", args);
console.trace = (...args: unknown[]) => log("TRACE", args);
(console as unknown as { fatal: (...args: unknown[]) => void }).fatal = (...args: unknown[]) =>
  log("FATAL", args);

/** Direct stdout/stderr writes reach the log as they are, like any output of a Lambda process. */
function captureStream(stream: NodeJS.WriteStream): void {
  stream.write = ((chunk: unknown, ...rest: unknown[]) => {
    const text = typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString("utf8");
    send({ t: "log", requestId: currentRequestId, text });
    const callback = rest.find((item) => typeof item === "function") as (() => void) | undefined;
    callback?.();
    return true;
  }) as typeof stream.write;
}
captureStream(process.stdout);
captureStream(process.stderr);

function fatal(kind: string, error: unknown, exitCode: number): void {
  log("ERROR", [kind, formatLoggedError(error)]);
  send({ t: "fatal", error: toRapidError(error) });
  process.exit(exitCode);
}

/** Named like the runtime's own errors so the payload's errorType is Lambda's. */
class RuntimeError extends Error {
  constructor(name: string, message: string, cause?: unknown) {
    super(message);
    this.name = name;
    if (cause instanceof Error && cause.stack)
      this.stack = `${name}: ${message}\n${stackFrames(cause.stack)}`;
  }
}

function stackFrames(stack: string): string {
  return stack
    .split("\n")
    .filter((line) => line.startsWith("    at "))
    .join("\n");
}

process.on("uncaughtException", (error) => fatal("Uncaught Exception", error, 129));
process.on("unhandledRejection", (reason) =>
  fatal(
    "Unhandled Promise Rejection",
    new RuntimeError("Runtime.UnhandledPromiseRejection", String(reason)),
    128,
  ),
);

function lookup(root: unknown, path: string): unknown {
  let value = root;
  for (const part of path.split(".")) {
    if ((typeof value !== "object" && typeof value !== "function") || value === null) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

async function loadHandler(): Promise<Handler> {
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(config.modulePath).href)) as Record<string, unknown>;
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (error instanceof SyntaxError)
      throw new RuntimeError("Runtime.UserCodeSyntaxError", String(error), error);
    if (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND")
      throw new RuntimeError("Runtime.ImportModuleError", String(error), error);
    throw error;
  }
  // CommonJS modules come through import() with their exports both named and under `default`.
  const handler = lookup(module, config.exportName) ?? lookup(module.default, config.exportName);
  if (handler === undefined || handler === null)
    throw new RuntimeError("Runtime.HandlerNotFound", `${config.handlerLabel} is undefined or not exported`);
  if (typeof handler !== "function")
    throw new RuntimeError("Runtime.HandlerNotFound", `${config.handlerLabel} is not a function`);
  return handler as Handler;
}

function memoryMb(): number {
  const heap = getHeapStatistics();
  peakMemoryMb = Math.max(peakMemoryMb, (heap.used_heap_size + heap.external_memory) / 1048576);
  return peakMemoryMb;
}

/**
 * Lambda's own mechanism for callback-style handlers: the answer waits until nothing is left to run.
 * The port to the parent is unreferenced meanwhile, so `beforeExit` fires when the loop empties.
 */
const idleWaiters = new Set<() => void>();

process.on("beforeExit", () => {
  port.ref();
  const waiters = [...idleWaiters];
  idleWaiters.clear();
  for (const waiter of waiters) waiter();
});

function whenEventLoopEmpty(run: () => void, cancelled: () => boolean): void {
  idleWaiters.add(() => {
    if (!cancelled()) run();
  });
  port.unref();
}

/** Once an invocation has answered, nothing waits for the loop any more: the port keeps the worker alive again. */
function stopWaitingForEmptyEventLoop(): void {
  idleWaiters.clear();
  port.ref();
}

function runInvocation(handler: Handler, message: InvokeMessage): void {
  const { requestId } = message;
  currentRequestId = requestId;
  const started = performance.now();
  let reported = false;
  let waitsForEmptyEventLoop = true;

  const report = (failed: boolean, error: unknown, result: unknown): void => {
    reported = true;
    stopWaitingForEmptyEventLoop();
    const durationMs = performance.now() - started;
    if (failed) {
      reportError(requestId, error, durationMs);
      return;
    }
    let payload: string | undefined;
    try {
      payload = JSON.stringify(result === undefined ? null : result);
    } catch {
      payload = undefined;
    }
    // A function or symbol at the top level stringifies to nothing: as unserialisable as a BigInt.
    if (payload === undefined) {
      reportError(requestId, new Error("Unable to stringify response body"), durationMs);
      return;
    }
    send({ t: "done", requestId, payload, durationMs, memoryMb: memoryMb() });
  };

  let settled = false;
  const complete = (failed: boolean, error: unknown, result: unknown): void => {
    if (settled) {
      console.error(
        "Invocation has already been reported as done. Cannot call complete more than once per invocation.",
      );
      return;
    }
    settled = true;
    if (waitsForEmptyEventLoop)
      whenEventLoopEmpty(
        () => report(failed, error, result),
        () => reported,
      );
    else report(failed, error, result);
  };
  const callback = (error?: unknown, result?: unknown): void => {
    if (error !== undefined && error !== null) complete(true, error, undefined);
    else complete(false, undefined, result);
  };
  // context.done/succeed/fail answer at once: they predate callbackWaitsForEmptyEventLoop.
  const done = (error?: unknown, result?: unknown): void => {
    waitsForEmptyEventLoop = false;
    callback(error, result);
  };
  const timeoutAt = started + message.timeoutMs;
  const context = {
    get callbackWaitsForEmptyEventLoop() {
      return waitsForEmptyEventLoop;
    },
    set callbackWaitsForEmptyEventLoop(value: boolean) {
      waitsForEmptyEventLoop = Boolean(value);
    },
    functionName: config.functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: message.invokedFunctionArn,
    memoryLimitInMB: String(config.memorySize),
    awsRequestId: requestId,
    logGroupName: config.logGroupName,
    logStreamName: config.logStreamName,
    identity: undefined,
    clientContext: undefined,
    getRemainingTimeInMillis: () => Math.max(0, Math.floor(timeoutAt - performance.now())),
    done,
    succeed: (result?: unknown) => done(null, result),
    fail: (error?: unknown) => done(error === undefined || error === null ? "handled" : error),
  };

  let event: unknown;
  try {
    event = JSON.parse(message.payload);
  } catch (error) {
    report(
      true,
      new RuntimeError("Runtime.UnmarshalError", `Unable to parse the event: ${String(error)}`),
      undefined,
    );
    return;
  }

  let returned: unknown;
  try {
    returned = handler(event, context, callback);
  } catch (error) {
    // A synchronous throw is answered at once, whatever the event loop holds.
    waitsForEmptyEventLoop = false;
    complete(true, error, undefined);
    return;
  }
  if (typeof (returned as { then?: unknown } | null)?.then === "function") {
    (returned as Promise<unknown>).then(
      (result) => {
        waitsForEmptyEventLoop = false;
        complete(false, undefined, result);
      },
      (error: unknown) => {
        waitsForEmptyEventLoop = false;
        complete(true, error, undefined);
      },
    );
    return;
  }
  // Neither a promise nor (yet) the callback: Lambda answers null once nothing is left to run.
  whenEventLoopEmpty(
    () => {
      if (!settled) {
        settled = true;
        report(false, undefined, null);
      }
    },
    () => settled,
  );
}

function reportError(requestId: string, error: unknown, durationMs: number): void {
  log("ERROR", ["Invoke Error", formatLoggedError(error)]);
  const rapid: RapidError = toRapidError(error);
  send({ t: "error", requestId, error: rapid, durationMs, memoryMb: memoryMb() });
}

async function main(): Promise<void> {
  let handler: Handler;
  try {
    handler = await loadHandler();
  } catch (error) {
    log("ERROR", ["Uncaught Exception", formatLoggedError(error)]);
    send({ t: "initError", error: toRapidError(error) });
    return;
  }
  port.on("message", (message: ToWorker) => {
    if (message.t === "invoke") runInvocation(handler, message);
  });
  send({ t: "ready", initMs: performance.now() - STARTED });
}

void main();
