// The local Lambda invoker: each function's handler runs in warm worker threads, with Lambda's context, logs, limits and failures.
import { rmSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { builtinModules } from "node:module";
import { tmpdir } from "node:os";
import { basename, extname, isAbsolute, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { Clock } from "../shared/clock.js";
import type { Random } from "../shared/random.js";
import {
  consoleLine,
  endLine,
  exitError,
  exitReason,
  type InvokeResultWithLog,
  logGroupName,
  logStreamName,
  type RapidError,
  reportLine,
  startLine,
  timeoutError,
  timeoutLine,
} from "./lambda-format.js";
import {
  type FunctionDefinition,
  type FunctionRegistry,
  type InvokeOptions,
  type LambdaInvoker,
  LambdaServiceError,
  type LogEvent,
  type LogSink,
} from "./ports.js";
import type { FromWorker, InvokeMessage, WorkerConfig } from "./worker-protocol.js";

export interface WorkerInvokerOptions {
  registry: FunctionRegistry;
  logs: LogSink;
  clock: Clock;
  random: Pick<Random, "bytes" | "uuid">;
  /** The edge's URL once it listens: handlers get it as AWS_ENDPOINT_URL. */
  edgeUrl: () => string | undefined;
  /** Variables every handler starts from (PATH, HOME, credentials...); never the server's live env. */
  baseEnv?: Readonly<Record<string, string | undefined>> | undefined;
  /** Warm workers per function for concurrent invocations; more invocations wait for a free one. */
  maxWorkersPerFunction?: number | undefined;
}

export const DEFAULT_MAX_WORKERS_PER_FUNCTION = 4;
/** Lambda's limit on a synchronous response (6 MB and a little more, as its error message says). */
export const MAX_RESPONSE_BYTES = 6_291_556;
const MAX_LOG_EVENTS = 10_000;
/** How long an answer waits for its log to be stored. */
const LOG_SINK_PATIENCE_MS = 1_000;
const TYPESCRIPT_EXTENSIONS = new Set([".ts", ".mts", ".cts"]);
/** Credentials handlers get when the base environment has none: the edge accepts any. */
const DUMMY_ACCESS_KEY_ID = "AKIALOCALEDGEDUMMY00";
const DUMMY_SECRET_ACCESS_KEY = "local-edge-dummy-secret-access-key";

type Prepared = { script: string; modulePath: string } | { error: RapidError };

interface Invocation {
  fn: FunctionDefinition;
  requestId: string;
  payload: string;
  invokedArn: string;
  startedAt: number;
  /** When the worker got it; timeouts and crashes measure the handler's time from here. */
  sentAt?: number | undefined;
  events: LogEvent[];
  slot?: Slot | undefined;
  timer?: NodeJS.Timeout | undefined;
  initDurationMs?: number | undefined;
  done: boolean;
  resolve: (result: InvokeResultWithLog) => void;
  reject: (error: Error) => void;
}

interface Slot {
  pool: Pool;
  worker: Worker;
  stream: string;
  state: "starting" | "idle" | "busy" | "dead";
  initMs?: number | undefined;
  current?: Invocation | undefined;
  /** Output of the init phase: it goes before the first invocation's START line. */
  initLogs: LogEvent[];
  /** Output written after an invocation answered: Lambda shows it in the next one. */
  lateLogs: LogEvent[];
  fatal?: RapidError | undefined;
  outOfMemory: boolean;
  memoryMb: number;
  exited: Promise<void>;
}

interface Pool {
  fn: FunctionDefinition;
  key: string;
  slots: Slot[];
  queue: Invocation[];
  prepared?: Promise<Prepared> | undefined;
  /** Set once preparation succeeded: what new workers load. */
  ready?: { script: string; modulePath: string } | undefined;
  /** A newer definition of the function replaced this one: workers end as they become idle. */
  retired: boolean;
}

interface Outcome {
  payload: string;
  functionError?: "Unhandled" | undefined;
  timedOut?: boolean | undefined;
  durationMs: number;
  memoryMb?: number | undefined;
  status?: "timeout" | "error" | undefined;
  errorType?: string | undefined;
  /** Platform lines written before END (timeout, runtime exit). */
  lines?: string[] | undefined;
}

export function createWorkerInvoker(options: WorkerInvokerOptions): LambdaInvoker {
  const { registry, logs, clock, random, edgeUrl } = options;
  const maxWorkers = Math.max(1, options.maxWorkersPerFunction ?? DEFAULT_MAX_WORKERS_PER_FUNCTION);
  const pools = new Map<string, Pool>();
  const retiredPools = new Set<Pool>();
  /** Every worker not yet exited, killed ones included: close() waits for all of them. */
  const live = new Set<Slot>();
  let closed = false;
  let tempDir: Promise<string> | undefined;
  let workerScript: Promise<string> | undefined;
  let bundleCount = 0;

  let tempPath: string | undefined;
  // A process that ends without close() still leaves no bundles behind.
  const removeOnExit = (): void => {
    if (tempPath) rmSync(tempPath, { recursive: true, force: true });
  };
  const scratch = (): Promise<string> => {
    tempDir ??= mkdtemp(join(tmpdir(), "cognito-triggers-lambda-")).then((path) => {
      tempPath = path;
      process.once("exit", removeOnExit);
      return path;
    });
    return tempDir;
  };

  /** dist/lambda/worker.js when built; from the sources (tests, dev) it is bundled once with esbuild. */
  const scriptPath = (): Promise<string> => {
    workerScript ??= (async () => {
      const here = fileURLToPath(import.meta.url);
      if (!here.endsWith(".ts")) return fileURLToPath(new URL("./worker.js", import.meta.url));
      const { build } = await import("esbuild");
      const outfile = join(await scratch(), "worker.mjs");
      await build({
        entryPoints: [fileURLToPath(new URL("./worker.ts", import.meta.url))],
        outfile,
        bundle: true,
        platform: "node",
        format: "esm",
        target: "node20",
        logLevel: "silent",
      });
      return outfile;
    })();
    workerScript.catch(() => {
      workerScript = undefined;
    });
    return workerScript;
  };

  const prepare = (pool: Pool): Promise<Prepared> => {
    if (pool.prepared) return pool.prepared;
    const prepared = (async (): Promise<Prepared> => {
      const script = await scriptPath();
      const { fn } = pool;
      if (!TYPESCRIPT_EXTENSIONS.has(extname(fn.modulePath))) return { script, modulePath: fn.modulePath };
      try {
        const modulePath = join(
          await scratch(),
          `${++bundleCount}-${basename(fn.modulePath, extname(fn.modulePath))}.mjs`,
        );
        await bundleTypeScript(fn.modulePath, fn.cwd, modulePath);
        return { script, modulePath };
      } catch (error) {
        // Not kept: the next invocation bundles again, so a fixed file is picked up.
        pool.prepared = undefined;
        return { error: bundleError(error) };
      }
    })();
    pool.prepared = prepared;
    prepared.catch(() => {
      if (pool.prepared === prepared) pool.prepared = undefined;
    });
    return prepared;
  };

  const poolFor = (fn: FunctionDefinition): Pool => {
    const existing = pools.get(fn.name);
    // Registries may build a fresh object per lookup: only a changed definition means new workers.
    if (existing && (existing.fn === fn || existing.key === definitionKey(fn))) return existing;
    if (existing) retire(existing);
    const pool: Pool = { fn, key: definitionKey(fn), slots: [], queue: [], retired: false };
    pools.set(fn.name, pool);
    return pool;
  };

  const retire = (pool: Pool): void => {
    pool.retired = true;
    retiredPools.add(pool);
    for (const slot of [...pool.slots]) if (slot.state === "idle") kill(slot);
  };

  const env = (fn: FunctionDefinition, stream: string): Record<string, string> => {
    const base = options.baseEnv ?? {};
    const vars: Record<string, string> = {};
    for (const [key, value] of Object.entries(base)) if (value !== undefined) vars[key] = value;
    // Lambda's Node runtimes are newer than this host's Node 20: the SDK's warning about Node 20 would
    // appear in every handler's log here and never on AWS.
    vars.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
    Object.assign(vars, fn.environment);
    const edge = edgeUrl();
    if (edge !== undefined && fn.environment.AWS_ENDPOINT_URL === undefined) vars.AWS_ENDPOINT_URL = edge;
    const region = regionOf(fn.arn);
    // Lambda's reserved variables: a function's own environment cannot override them.
    Object.assign(vars, {
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
      AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
      AWS_LAMBDA_FUNCTION_NAME: fn.name,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySize),
      AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
      AWS_LAMBDA_INITIALIZATION_TYPE: "on-demand",
      AWS_LAMBDA_LOG_GROUP_NAME: logGroupName(fn.name),
      AWS_LAMBDA_LOG_STREAM_NAME: stream,
      LAMBDA_TASK_ROOT: fn.cwd,
      _HANDLER: handlerLabel(fn),
    });
    if (base.AWS_ACCESS_KEY_ID === undefined || base.AWS_SECRET_ACCESS_KEY === undefined) {
      vars.AWS_ACCESS_KEY_ID = DUMMY_ACCESS_KEY_ID;
      vars.AWS_SECRET_ACCESS_KEY = DUMMY_SECRET_ACCESS_KEY;
      delete vars.AWS_SESSION_TOKEN;
    } else {
      vars.AWS_ACCESS_KEY_ID = base.AWS_ACCESS_KEY_ID;
      vars.AWS_SECRET_ACCESS_KEY = base.AWS_SECRET_ACCESS_KEY;
      if (base.AWS_SESSION_TOKEN !== undefined) vars.AWS_SESSION_TOKEN = base.AWS_SESSION_TOKEN;
      else delete vars.AWS_SESSION_TOKEN;
    }
    return vars;
  };

  const spawn = (pool: Pool, prepared: { script: string; modulePath: string }): Slot => {
    const { fn } = pool;
    const stream = logStreamName(clock.now(), random.bytes(16).toString("hex"));
    const config: WorkerConfig = {
      modulePath: prepared.modulePath,
      exportName: fn.exportName,
      handlerLabel: handlerLabel(fn),
      functionName: fn.name,
      memorySize: fn.memorySize,
      logGroupName: logGroupName(fn.name),
      logStreamName: stream,
    };
    const worker = new Worker(prepared.script, {
      workerData: config,
      // An explicit copy: handlers neither see nor change the server's or each other's environment.
      env: env(fn, stream),
      resourceLimits: { maxOldGenerationSizeMb: Math.max(16, fn.memorySize) },
      stdout: true,
      stderr: true,
      execArgv: process.execArgv.filter((arg) => arg === "--enable-source-maps"),
      name: `lambda:${fn.name}`,
    });
    let markExited: () => void = () => {};
    const slot: Slot = {
      pool,
      worker,
      stream,
      state: "starting",
      initLogs: [],
      lateLogs: [],
      outOfMemory: false,
      memoryMb: 0,
      exited: new Promise<void>((resolve) => {
        markExited = resolve;
      }),
    };
    pool.slots.push(slot);
    live.add(slot);
    worker.on("message", (message: FromWorker) => onMessage(slot, message));
    worker.on("error", (error: Error & { code?: string }) => {
      if (error.code === "ERR_WORKER_OUT_OF_MEMORY") slot.outOfMemory = true;
      else
        slot.fatal ??= {
          errorType: error.name,
          errorMessage: error.message,
          trace: error.stack?.split("\n"),
        };
    });
    worker.on("exit", (code) => {
      live.delete(slot);
      onExit(slot, code);
      markExited();
    });
    const raw = (chunk: Buffer) => addLog(slot, { timestamp: clock.now(), message: chunk.toString("utf8") });
    worker.stdout.on("data", raw);
    worker.stderr.on("data", raw);
    return slot;
  };

  const addLog = (slot: Slot, event: LogEvent): void => {
    if (slot.state === "dead") return;
    const target =
      slot.state === "starting"
        ? slot.initLogs
        : slot.current && !slot.current.done && slot.current.sentAt !== undefined
          ? slot.current.events
          : slot.lateLogs;
    // A handler printing in a loop must not exhaust the server's memory before its deadline.
    if (target.length < MAX_LOG_EVENTS) target.push(event);
    else if (target.length === MAX_LOG_EVENTS)
      target.push({
        timestamp: event.timestamp,
        message: `[cognito-triggers] more than ${MAX_LOG_EVENTS} log lines in one invocation; the rest were dropped\n`,
      });
  };

  const onMessage = (slot: Slot, message: FromWorker): void => {
    switch (message.t) {
      case "log": {
        const timestamp = clock.now();
        addLog(slot, {
          timestamp,
          message:
            message.level === undefined
              ? message.text
              : consoleLine(timestamp, message.requestId, message.level, message.text),
        });
        return;
      }
      case "ready":
        if (slot.state !== "starting") return;
        slot.initMs = message.initMs;
        slot.state = "idle";
        if (slot.current) send(slot, slot.current);
        else release(slot);
        return;
      case "initError": {
        const invocation = slot.current;
        const events = slot.initLogs;
        kill(slot);
        if (invocation) {
          invocation.events.push(...events);
          finish(invocation, {
            payload: JSON.stringify(message.error),
            functionError: "Unhandled",
            durationMs: 0,
            status: "error",
            errorType: message.error.errorType,
          });
        }
        return;
      }
      case "done":
      case "error": {
        const invocation = slot.current;
        if (!invocation || invocation.requestId !== message.requestId || invocation.done) return;
        slot.memoryMb = message.memoryMb;
        slot.current = undefined;
        slot.state = "idle";
        finish(
          invocation,
          message.t === "done"
            ? withinResponseLimit(message.payload, message.durationMs)
            : {
                payload: JSON.stringify(message.error),
                functionError: "Unhandled",
                durationMs: message.durationMs,
              },
        );
        release(slot);
        return;
      }
      case "fatal":
        slot.fatal = message.error;
        return;
    }
  };

  const onExit = (slot: Slot, code: number): void => {
    const wasDead = slot.state === "dead";
    slot.state = "dead";
    removeSlot(slot);
    const invocation = slot.current;
    slot.current = undefined;
    if (!wasDead && invocation && !invocation.done) {
      const { requestId } = invocation;
      invocation.events.push(...slot.initLogs);
      const errorType = slot.outOfMemory ? "Runtime.OutOfMemory" : "Runtime.ExitError";
      const reason = slot.outOfMemory ? "Runtime exited with error: signal: killed" : exitReason(code);
      const payload = !slot.outOfMemory && slot.fatal ? slot.fatal : exitError(requestId, errorType, reason);
      finish(invocation, {
        payload: JSON.stringify(payload),
        functionError: "Unhandled",
        durationMs: performance.now() - (invocation.sentAt ?? invocation.startedAt),
        memoryMb: slot.memoryMb,
        status: "error",
        errorType,
        lines: [`RequestId: ${requestId} Error: ${reason}\n${errorType}\n`],
      });
    }
    dispatch(slot.pool);
  };

  const removeSlot = (slot: Slot): void => {
    const index = slot.pool.slots.indexOf(slot);
    if (index >= 0) slot.pool.slots.splice(index, 1);
    if (slot.pool.retired && slot.pool.slots.length === 0) retiredPools.delete(slot.pool);
  };

  /** Stops a worker now (timeout, failed init, retirement): it is replaced on the next invocation. */
  const kill = (slot: Slot): void => {
    if (slot.state === "dead") return;
    slot.state = "dead";
    removeSlot(slot);
    void slot.worker.terminate().catch(() => {});
  };

  const release = (slot: Slot): void => {
    if (slot.pool.retired) kill(slot);
    dispatch(slot.pool);
  };

  const send = (slot: Slot, invocation: Invocation): void => {
    slot.state = "busy";
    invocation.sentAt = performance.now();
    if (slot.initMs !== undefined) {
      invocation.initDurationMs = slot.initMs;
      slot.initMs = undefined;
    }
    const now = clock.now();
    invocation.events.push(
      ...slot.initLogs,
      { timestamp: now, message: startLine(invocation.requestId) },
      ...slot.lateLogs,
    );
    slot.initLogs = [];
    slot.lateLogs = [];
    const message: InvokeMessage = {
      t: "invoke",
      requestId: invocation.requestId,
      payload: invocation.payload,
      invokedFunctionArn: invocation.invokedArn,
      timeoutMs: invocation.fn.timeout * 1000,
    };
    slot.worker.postMessage(message);
  };

  const dispatch = (pool: Pool): void => {
    if (closed) return;
    while (pool.queue.length > 0) {
      const idle = pool.slots.find((slot) => slot.state === "idle" && !slot.current);
      const invocation = pool.queue[0] as Invocation;
      if (idle) {
        pool.queue.shift();
        idle.current = invocation;
        invocation.slot = idle;
        send(idle, invocation);
        continue;
      }
      if (pool.slots.length >= maxWorkers || pool.retired || !pool.ready) return;
      pool.queue.shift();
      let slot: Slot;
      try {
        slot = spawn(pool, pool.ready);
      } catch (error) {
        invocation.done = true;
        clearTimeout(invocation.timer);
        invocation.reject(
          new LambdaServiceError(
            "ServiceException",
            `The local Lambda runtime could not start a worker: ${(error as Error).message}`,
            500,
          ),
        );
        continue;
      }
      slot.current = invocation;
      invocation.slot = slot;
    }
  };

  const finish = (invocation: Invocation, outcome: Outcome): void => {
    if (invocation.done) return;
    invocation.done = true;
    clearTimeout(invocation.timer);
    const { fn, requestId } = invocation;
    const now = clock.now();
    if (invocation.sentAt === undefined)
      invocation.events.push({ timestamp: now, message: startLine(requestId) });
    for (const line of outcome.lines ?? []) invocation.events.push({ timestamp: now, message: line });
    invocation.events.push(
      { timestamp: now, message: endLine(requestId) },
      {
        timestamp: now,
        message: reportLine({
          requestId,
          durationMs: outcome.durationMs,
          memorySize: fn.memorySize,
          maxMemoryUsedMb: outcome.memoryMb ?? invocation.slot?.memoryMb ?? 0,
          initDurationMs: invocation.initDurationMs,
          status: outcome.status,
          errorType: outcome.errorType,
        }),
      },
    );
    const stream = invocation.slot?.stream ?? logStreamName(now, random.bytes(16).toString("hex"));
    const result: InvokeResultWithLog = {
      payload: outcome.payload,
      functionError: outcome.functionError,
      timedOut: outcome.timedOut,
      requestId,
      durationMs: performance.now() - invocation.startedAt,
      log: invocation.events.map((event) => event.message).join(""),
    };
    // The log is in the sink when the caller gets the answer; a failing or stuck sink never fails
    // or holds up the invocation.
    let appended: Promise<void>;
    try {
      appended = logs.append(logGroupName(fn.name), stream, invocation.events).catch(() => {});
    } catch {
      appended = Promise.resolve();
    }
    let timer: NodeJS.Timeout | undefined;
    const stuck = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, LOG_SINK_PATIENCE_MS);
      timer.unref();
    });
    void Promise.race([appended, stuck]).then(() => {
      clearTimeout(timer);
      invocation.resolve(result);
    });
  };

  const onTimeout = (invocation: Invocation, pool: Pool): void => {
    if (invocation.done) return;
    const elapsed = performance.now() - (invocation.sentAt ?? invocation.startedAt);
    const slot = invocation.slot;
    if (slot) {
      slot.current = undefined;
      kill(slot);
      dispatch(pool);
    } else {
      const index = pool.queue.indexOf(invocation);
      if (index >= 0) pool.queue.splice(index, 1);
    }
    finish(invocation, {
      payload: JSON.stringify(timeoutError(invocation.requestId, elapsed)),
      functionError: "Unhandled",
      timedOut: true,
      durationMs: elapsed,
      status: "timeout",
      lines: [timeoutLine(clock.now(), invocation.requestId, elapsed)],
    });
  };

  const execute = (
    fn: FunctionDefinition,
    invokedArn: string,
    payload: string,
    requestId: string,
    budgetMs: number,
  ): Promise<InvokeResultWithLog> =>
    new Promise<InvokeResultWithLog>((resolve, reject) => {
      const pool = poolFor(fn);
      const invocation: Invocation = {
        fn,
        requestId,
        payload,
        invokedArn: invokedArn.startsWith("arn:") ? invokedArn : fn.arn,
        startedAt: performance.now(),
        events: [],
        done: false,
        resolve,
        reject,
      };
      invocation.timer = setTimeout(() => onTimeout(invocation, pool), budgetMs);
      prepare(pool).then(
        (prepared) => {
          if (invocation.done) return;
          if (closed) {
            invocation.done = true;
            clearTimeout(invocation.timer);
            reject(shuttingDown());
            return;
          }
          if ("error" in prepared) {
            finish(invocation, {
              payload: JSON.stringify(prepared.error),
              functionError: "Unhandled",
              durationMs: 0,
              status: "error",
              errorType: prepared.error.errorType,
            });
            return;
          }
          pool.ready = prepared;
          pool.queue.push(invocation);
          dispatch(pool);
        },
        (error: unknown) => {
          invocation.done = true;
          clearTimeout(invocation.timer);
          reject(
            new LambdaServiceError(
              "ServiceException",
              `The local Lambda runtime could not start: ${(error as Error).message}`,
              500,
            ),
          );
        },
      );
    });

  return {
    async invoke(functionArn: string, payload: string, invokeOptions: InvokeOptions = {}) {
      if (closed) throw shuttingDown();
      const fn = registry.resolve(functionArn);
      if (!fn)
        throw new LambdaServiceError("ResourceNotFoundException", `Function not found: ${functionArn}`, 404);
      const requestId = random.uuid();
      const functionTimeoutMs = fn.timeout * 1000;
      if (invokeOptions.invocationType === "Event") {
        // Queued and answered at once; the outcome is only in the function's log.
        execute(fn, functionArn, payload, requestId, functionTimeoutMs).catch(() => {});
        return { payload: "", requestId, durationMs: 0 };
      }
      const budgetMs = Math.min(invokeOptions.deadlineMs ?? functionTimeoutMs, functionTimeoutMs);
      return execute(fn, functionArn, payload, requestId, budgetMs);
    },

    async close() {
      if (closed) return;
      closed = true;
      for (const pool of [...pools.values(), ...retiredPools])
        for (const invocation of pool.queue.splice(0)) abandon(invocation);
      const exits = [...live].map((slot) => {
        if (slot.current) abandon(slot.current);
        slot.current = undefined;
        kill(slot);
        return slot.exited;
      });
      // Bundles still being written would recreate the directory after it is removed.
      const building = [...pools.values(), ...retiredPools].map((pool) => pool.prepared?.catch(() => {}));
      await Promise.all([...exits, ...building, workerScript?.catch(() => {})]);
      pools.clear();
      retiredPools.clear();
      if (tempDir) await rm(await tempDir, { recursive: true, force: true });
      process.off("exit", removeOnExit);
    },
  };
}

function definitionKey(fn: FunctionDefinition): string {
  return JSON.stringify([
    fn.arn,
    fn.modulePath,
    fn.exportName,
    fn.cwd,
    fn.runtime,
    fn.timeout,
    fn.memorySize,
    fn.environment,
    fn.codeVersion,
  ]);
}

function withinResponseLimit(payload: string, durationMs: number): Outcome {
  // Characters first: the byte count of a short payload is never needed.
  if (payload.length * 3 <= MAX_RESPONSE_BYTES || Buffer.byteLength(payload) <= MAX_RESPONSE_BYTES)
    return { payload, durationMs };
  return {
    payload: JSON.stringify({
      errorMessage: `Response payload size exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`,
      errorType: "Function.ResponseSizeTooLarge",
    }),
    functionError: "Unhandled",
    durationMs,
  };
}

function abandon(invocation: Invocation): void {
  if (invocation.done) return;
  invocation.done = true;
  clearTimeout(invocation.timer);
  invocation.reject(shuttingDown());
}

function shuttingDown(): LambdaServiceError {
  return new LambdaServiceError("ServiceException", "The local Lambda runtime is shutting down.", 500);
}

function regionOf(arn: string): string {
  return /^arn:[^:]+:lambda:([^:]+):/.exec(arn)?.[1] ?? "us-east-1";
}

/** `src/handlers/pre-sign-up.handler`: the handler setting Lambda would have, for its error messages. */
function handlerLabel(fn: FunctionDefinition): string {
  const rel = relative(fn.cwd, fn.modulePath).split("\\").join("/");
  const module = rel.slice(0, rel.length - extname(rel).length);
  return `${module}.${fn.exportName}`;
}

/**
 * One ESM file of the handler and its own sources. Packages stay outside the bundle, imported from
 * where they are installed (absolute paths), so handlers use the very modules the project has.
 */
async function bundleTypeScript(entry: string, cwd: string, outfile: string): Promise<void> {
  const { build } = await import("esbuild");
  const builtins = new Set(builtinModules);
  await build({
    entryPoints: [entry],
    absWorkingDir: cwd,
    // Written where it runs, so the inline source map's relative paths lead back to the sources.
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    sourcemap: "inline",
    logLevel: "silent",
    banner: {
      js: 'import { createRequire as __ctCreateRequire } from "node:module"; const require = __ctCreateRequire(import.meta.url);',
    },
    plugins: [
      {
        name: "installed-packages",
        setup(pluginBuild) {
          pluginBuild.onResolve({ filter: /^[^./]/ }, async (args) => {
            if (args.pluginData === "resolving" || isAbsolute(args.path)) return undefined;
            if (args.path.startsWith("node:") || builtins.has(args.path.split("/")[0] ?? ""))
              return { path: args.path, external: true };
            const resolved = await pluginBuild.resolve(args.path, {
              kind: args.kind,
              resolveDir: args.resolveDir,
              importer: args.importer,
              pluginData: "resolving",
            });
            if (resolved.errors.length > 0) return { errors: resolved.errors };
            // tsconfig `paths` into the project's own sources are bundled like relative imports.
            if (!resolved.path.split(/[\\/]/).includes("node_modules")) return { path: resolved.path };
            const asImport = args.kind === "import-statement" || args.kind === "dynamic-import";
            return { path: asImport ? pathToFileURL(resolved.path).href : resolved.path, external: true };
          });
        },
      },
    ],
  });
}

/** esbuild's problems as Lambda reports code that does not parse. */
function bundleError(error: unknown): RapidError {
  const problems = (
    error as { errors?: { text: string; location?: { file: string; line: number; column: number } }[] }
  ).errors;
  const message =
    problems && problems.length > 0
      ? problems
          .map((p) =>
            p.location ? `${p.location.file}:${p.location.line}:${p.location.column}: ${p.text}` : p.text,
          )
          .join("\n")
      : String((error as Error).message ?? error);
  return { errorType: "Runtime.UserCodeSyntaxError", errorMessage: message, trace: [] };
}
