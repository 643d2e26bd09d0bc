// The worker invoker with real handler files: warm workers, handler styles, Lambda's context, logs, env and every failure.
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { LambdaServiceError } from "../../../src/lambda/ports.js";
import { fixture, testInvoker } from "./helpers.js";

const json = (text: string): unknown => JSON.parse(text);

interface AsyncAnswer {
  invocations: number;
  threadId: number;
  event: unknown;
  context: Record<string, unknown> & { logStreamName: string; remaining: number; invokedFunctionArn: string };
}
const ISO = "2026-01-15T12:00:00.000Z";
const REPORT =
  /^REPORT RequestId: [0-9a-f-]{36}\tDuration: \d+\.\d{2} ms\tBilled Duration: \d+ ms\tMemory Size: 256 MB\tMax Memory Used: \d+ MB\t(Init Duration: \d+\.\d{2} ms\t)?\n$/;

describe("handler styles and the warm worker", () => {
  const functions = [
    fixture("async-fn", "async.mjs"),
    fixture("nested-fn", "async.mjs", "nested.deeper.handler"),
    fixture("callback-fn", "cjs/callback.js"),
    fixture("succeed-fn", "cjs/callback.js", "succeed"),
    fixture("fail-fn", "cjs/callback.js", "fail"),
    fixture("done-fn", "cjs/callback.js", "done"),
    fixture("fail-nothing-fn", "cjs/callback.js", "failNothing"),
    fixture("sync-return-fn", "cjs/callback.js", "syncReturn"),
    fixture("twice-fn", "cjs/callback.js", "twice"),
    fixture("ts-fn", "ts/handler.ts"),
    fixture("ts-fails-fn", "ts/handler.ts", "fails"),
  ];
  const { invoker, logs } = testInvoker(functions);
  afterAll(() => invoker.close());

  it("runs an async handler with Lambda's context and keeps its module warm", async () => {
    const first = await invoker.invoke(functions[0]!.arn, JSON.stringify({ n: 1 }));
    const second = await invoker.invoke("async-fn", JSON.stringify({ n: 2 }));
    const a = json(first.payload) as AsyncAnswer;
    const b = json(second.payload) as AsyncAnswer;
    expect(first.functionError).toBeUndefined();
    expect(a.invocations).toBe(1);
    expect(b.invocations).toBe(2);
    expect(b.threadId).toBe(a.threadId);
    expect(a.event).toEqual({ n: 1 });
    expect(a.context).toMatchObject({
      awsRequestId: first.requestId,
      functionName: "async-fn",
      functionVersion: "$LATEST",
      invokedFunctionArn: "arn:aws:lambda:eu-west-1:123456789012:function:async-fn",
      memoryLimitInMB: "256",
      logGroupName: "/aws/lambda/async-fn",
      callbackWaitsForEmptyEventLoop: true,
    });
    expect(a.context.logStreamName).toMatch(/^2026\/01\/15\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(a.context.remaining).toBeGreaterThan(0);
    expect(a.context.remaining).toBeLessThanOrEqual(6000);
    // A plain name as the invoked ARN becomes the function's ARN, as Lambda's context shows it.
    expect(b.context.invokedFunctionArn).toBe(functions[0]!.arn);
  });

  it("passes a qualified ARN through as invokedFunctionArn", async () => {
    const result = await invoker.invoke(`${functions[0]!.arn}:live`, "{}");
    expect((json(result.payload) as AsyncAnswer).context.invokedFunctionArn).toBe(
      `${functions[0]!.arn}:live`,
    );
  });

  it("resolves nested export names as Lambda's runtime does", async () => {
    expect(json((await invoker.invoke("nested-fn", "{}")).payload)).toBe("nested export");
  });

  it("runs callback-style handlers: result, Error and string failures", async () => {
    const ok = await invoker.invoke("callback-fn", JSON.stringify({ x: 1 }));
    expect(json(ok.payload)).toEqual({ style: "callback", got: { x: 1 } });
    const failed = await invoker.invoke("callback-fn", JSON.stringify({ fail: "error" }));
    expect(failed.functionError).toBe("Unhandled");
    expect(json(failed.payload)).toMatchObject({ errorType: "Error", errorMessage: "callback failure" });
    expect((json(failed.payload) as { trace: string[] }).trace[0]).toBe("Error: callback failure");
    const text = await invoker.invoke("callback-fn", JSON.stringify({ fail: "string" }));
    expect(json(text.payload)).toEqual({
      errorType: "string",
      errorMessage: "plain string failure",
      trace: [],
    });
  });

  it("supports context.succeed, context.fail and context.done", async () => {
    expect(json((await invoker.invoke("succeed-fn", '"s"')).payload)).toEqual({ style: "succeed", got: "s" });
    const failed = await invoker.invoke("fail-fn", "{}");
    expect(failed.functionError).toBe("Unhandled");
    expect(json(failed.payload)).toMatchObject({ errorType: "Error", errorMessage: "context.fail failure" });
    expect(json((await invoker.invoke("done-fn", "{}")).payload)).toEqual({ style: "done" });
    const nothing = await invoker.invoke("fail-nothing-fn", "{}");
    expect(json(nothing.payload)).toEqual({ errorType: "string", errorMessage: "handled", trace: [] });
  });

  it("answers null for a synchronous handler that neither returns a promise nor calls back", async () => {
    const result = await invoker.invoke("sync-return-fn", "{}");
    expect(result.functionError).toBeUndefined();
    expect(result.payload).toBe("null");
  });

  it("keeps the first answer when a handler calls back twice, and logs the second", async () => {
    const result = await invoker.invoke("twice-fn", "{}");
    expect(json(result.payload)).toBe("first");
    const next = await invoker.invoke("twice-fn", "{}");
    expect(logs.messagesOf(next.requestId).join("")).toContain(
      "Invocation has already been reported as done. Cannot call complete more than once per invocation.",
    );
  });

  it("bundles a TypeScript handler with its imports, once, and keeps it warm", async () => {
    const first = await invoker.invoke("ts-fn", JSON.stringify({ name: "ada" }));
    const second = await invoker.invoke("ts-fn", JSON.stringify({ name: "bob" }));
    expect(json(first.payload)).toEqual({ greeting: "hello ada", calls: 1, loud: "Ada" });
    expect(json(second.payload)).toEqual({ greeting: "hello bob", calls: 2, loud: "Bob" });
  });

  it("maps TypeScript stack traces back to the source file", async () => {
    const result = await invoker.invoke("ts-fails-fn", "{}");
    const payload = json(result.payload) as { errorType: string; trace: string[] };
    expect(payload.errorType).toBe("TypeError");
    expect(payload.trace[1]).toMatch(
      /^ {4}at fails \(.*\/fixtures\/handlers\/runtime\/ts\/handler\.ts:\d+:\d+\)$/,
    );
  });
});

describe("logs in Lambda's format", () => {
  const functions = [fixture("logs-fn", "logs.mjs"), fixture("throws-fn", "throws.mjs")];
  const { invoker, logs } = testInvoker(functions);
  afterAll(() => invoker.close());

  it("frames console output with START, END and REPORT (Init Duration on the cold start only)", async () => {
    const first = await invoker.invoke("logs-fn", JSON.stringify({ name: "ada" }));
    const id = first.requestId;
    const messages = logs.messagesOf(id);
    expect(messages.slice(0, -1)).toEqual([
      `${ISO}\tundefined\tINFO\tinit line\n`,
      `START RequestId: ${id} Version: $LATEST\n`,
      `${ISO}\t${id}\tINFO\thello ada\n`,
      `${ISO}\t${id}\tINFO\tinfo { a: 1 }\n`,
      `${ISO}\t${id}\tWARN\twarn\n`,
      `${ISO}\t${id}\tERROR\terror\n`,
      `${ISO}\t${id}\tDEBUG\tdebug\n`,
      `${ISO}\t${id}\tINFO\ttwo\nlines\n`,
      "raw stdout\n",
      `END RequestId: ${id}\n`,
    ]);
    expect(messages.at(-1)).toMatch(REPORT);
    expect(messages.at(-1)).toContain("\tInit Duration: ");
    expect(logs.streams).toHaveLength(1);
    expect(logs.streams[0]!.group).toBe("/aws/lambda/logs-fn");
    expect(logs.streams[0]!.stream).toMatch(/^2026\/01\/15\/\[\$LATEST\]0{24}[0-9a-f]{8}$/);

    const second = await invoker.invoke("logs-fn", JSON.stringify({ name: "bob" }));
    const again = logs.messagesOf(second.requestId);
    expect(again[0]).toBe(`START RequestId: ${second.requestId} Version: $LATEST\n`);
    expect(again.at(-1)).toMatch(REPORT);
    expect(again.at(-1)).not.toContain("Init Duration");
    // The invocation's log comes with the result too (X-Amz-Log-Type: Tail).
    expect((second as { log?: string }).log).toBe(again.join(""));
  });

  it("logs an unhandled error as Lambda's Invoke Error line and returns its payload", async () => {
    const result = await invoker.invoke("throws-fn", JSON.stringify({ kind: "custom" }));
    expect(result.functionError).toBe("Unhandled");
    const payload = json(result.payload) as { errorType: string; errorMessage: string; trace: string[] };
    expect(payload.errorType).toBe("ValidationFailed");
    expect(payload.errorMessage).toBe("bad email");
    expect(payload.trace[0]).toBe("ValidationFailed: bad email");
    expect(payload.trace[1]).toMatch(/^ {4}at /);
    const line = logs.messagesOf(result.requestId).find((m) => m.includes("Invoke Error"));
    expect(line).toMatch(
      new RegExp(`^${ISO}\\t${result.requestId}\\tERROR\\tInvoke Error \\t\\{"errorType":"ValidationFailed"`),
    );
    const logged = JSON.parse(line!.split("Invoke Error \t")[1]!) as Record<string, unknown>;
    expect(logged).toMatchObject({
      errorType: "ValidationFailed",
      errorMessage: "bad email",
      field: "email",
    });
    expect(Array.isArray(logged.stack)).toBe(true);
  });

  it("reports thrown non-errors, synchronous throws and empty rejections like the Node runtime", async () => {
    const text = await invoker.invoke("throws-fn", JSON.stringify({ kind: "string" }));
    expect(json(text.payload)).toEqual({ errorType: "string", errorMessage: "a thrown string", trace: [] });
    const sync = await invoker.invoke("throws-fn", JSON.stringify({ kind: "sync" }));
    expect(json(sync.payload)).toMatchObject({ errorType: "RangeError", errorMessage: "sync failure" });
    const empty = await invoker.invoke("throws-fn", JSON.stringify({ kind: "undefined" }));
    expect(json(empty.payload)).toMatchObject({ errorType: "handled" });
  });
});

describe("the environment", () => {
  const functions = [
    fixture("env-a", "env.mjs", "handler", { environment: { TABLE: "users", SHARED: "from a" } }),
    fixture("env-b", "env.mjs", "handler", { environment: { SHARED: "from b" } }),
  ];

  it("gives each function its own copy with Lambda's variables and AWS_ENDPOINT_URL", async () => {
    const { invoker } = testInvoker(functions, {
      baseEnv: { BASE_ONLY: "base", SHARED: "base", AWS_REGION: "us-west-2", MUTATED: undefined },
    });
    try {
      const a = json((await invoker.invoke("env-a", JSON.stringify({ mutate: "by a" }))).payload) as Record<
        string,
        string | undefined
      >;
      expect(a).toMatchObject({
        AWS_ENDPOINT_URL: "http://127.0.0.1:9229",
        AWS_REGION: "eu-west-1",
        AWS_DEFAULT_REGION: "eu-west-1",
        AWS_LAMBDA_FUNCTION_NAME: "env-a",
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "256",
        AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
        AWS_LAMBDA_LOG_GROUP_NAME: "/aws/lambda/env-a",
        TABLE: "users",
        SHARED: "from a",
        BASE_ONLY: "base",
      });
      expect(a.AWS_LAMBDA_LOG_STREAM_NAME).toMatch(/^2026\/01\/15\/\[\$LATEST\][0-9a-f]{32}$/);
      expect(a.AWS_ACCESS_KEY_ID).toBeTruthy();
      expect(a.AWS_SECRET_ACCESS_KEY).toBeTruthy();
      expect(a.AWS_SESSION_TOKEN).toBeUndefined();
      expect(a.MUTATED).toBeUndefined();

      const b = json((await invoker.invoke("env-b", "{}")).payload) as Record<string, string | undefined>;
      expect(b.SHARED).toBe("from b");
      expect(b.TABLE).toBeUndefined();
      // env-a's change stayed in env-a's worker; the server's own environment is untouched.
      expect(b.MUTATED).toBeUndefined();
      expect(process.env.MUTATED).toBeUndefined();
      const aAgain = json((await invoker.invoke("env-a", "{}")).payload) as Record<string, string>;
      expect(aAgain.MUTATED).toBe("by a");
    } finally {
      await invoker.close();
    }
  });

  it("keeps the base environment's credentials when it has them", async () => {
    const { invoker } = testInvoker(functions, {
      baseEnv: {
        AWS_ACCESS_KEY_ID: "AKIDBASE",
        AWS_SECRET_ACCESS_KEY: "base-secret",
        AWS_SESSION_TOKEN: "tok",
      },
      edgeUrl: () => undefined,
    });
    try {
      const seen = json((await invoker.invoke("env-a", "{}")).payload) as Record<string, string | undefined>;
      expect(seen).toMatchObject({
        AWS_ACCESS_KEY_ID: "AKIDBASE",
        AWS_SECRET_ACCESS_KEY: "base-secret",
        AWS_SESSION_TOKEN: "tok",
      });
      expect(seen.AWS_ENDPOINT_URL).toBeUndefined();
    } finally {
      await invoker.close();
    }
  });
});

describe("failures: Lambda's payloads and log lines", () => {
  const functions = [
    fixture("busy-fn", "hangs.mjs"),
    fixture("pending-fn", "hangs.mjs"),
    fixture("short-timeout-fn", "hangs.mjs", "handler", { timeout: 1 }),
    fixture("exit-fn", "exits.mjs"),
    fixture("oom-fn", "oom.mjs", "handler", { memorySize: 64 }),
    fixture("bad-fn", "bad-results.mjs"),
    fixture("flood-fn", "logs.mjs", "flood"),
    fixture("uncaught-fn", "uncaught.mjs"),
    fixture("init-error-fn", "init-error.mjs"),
    fixture("init-hangs-fn", "init-hangs.mjs"),
    fixture("missing-import-fn", "imports-missing.mjs"),
    fixture("missing-export-fn", "async.mjs", "nope"),
    fixture("not-function-fn", "async.mjs", "notAFunction"),
    fixture("broken-ts-fn", "ts/broken.ts"),
  ];
  const { invoker, logs } = testInvoker(functions);
  afterAll(() => invoker.close());

  const event = (value: unknown) => JSON.stringify(value);

  it("stops a busy-looping handler at the deadline", async () => {
    const result = await invoker.invoke("busy-fn", event({ mode: "busy" }), { deadlineMs: 300 });
    expect(result.timedOut).toBe(true);
    expect(result.functionError).toBe("Unhandled");
    expect(json(result.payload)).toEqual({
      errorType: "Sandbox.Timedout",
      errorMessage: expect.stringMatching(
        new RegExp(`^RequestId: ${result.requestId} Error: Task timed out after \\d+\\.\\d{2} seconds$`),
      ),
    });
    const messages = logs.messagesOf(result.requestId);
    expect(messages.at(-3)).toMatch(
      new RegExp(`^${ISO} ${result.requestId} Task timed out after \\d+\\.\\d{2} seconds\\n$`),
    );
    expect(messages.at(-2)).toBe(`END RequestId: ${result.requestId}\n`);
    expect(messages.at(-1)).toMatch(/\tStatus: timeout\t\n$/);
  });

  it("stops a handler waiting forever, and honours the function's own timeout", async () => {
    const result = await invoker.invoke("pending-fn", event({ mode: "pending" }), { deadlineMs: 300 });
    expect(result.timedOut).toBe(true);
    const own = await invoker.invoke("short-timeout-fn", event({ mode: "pending" }), { deadlineMs: 60_000 });
    expect(own.timedOut).toBe(true);
    expect(json(own.payload)).toMatchObject({ errorType: "Sandbox.Timedout" });
  });

  it("reports process.exit as Runtime.ExitError", async () => {
    const result = await invoker.invoke("exit-fn", event({ code: 3 }));
    expect(result.functionError).toBe("Unhandled");
    expect(json(result.payload)).toEqual({
      errorType: "Runtime.ExitError",
      errorMessage: `RequestId: ${result.requestId} Error: Runtime exited with error: exit status 3`,
    });
    const messages = logs.messagesOf(result.requestId);
    expect(messages).toContain(`${ISO}\t${result.requestId}\tINFO\tabout to exit\n`);
    expect(messages).toContain(
      `RequestId: ${result.requestId} Error: Runtime exited with error: exit status 3\nRuntime.ExitError\n`,
    );
    expect(messages.at(-1)).toMatch(/\tStatus: error\tError Type: Runtime\.ExitError\t\n$/);
    const zero = await invoker.invoke("exit-fn", event({ code: 0 }));
    expect(json(zero.payload)).toMatchObject({
      errorMessage: `RequestId: ${zero.requestId} Error: Runtime exited without providing a reason`,
    });
  });

  it("reports a heap exhausted at the function's memory size as Runtime.OutOfMemory", async () => {
    const result = await invoker.invoke("oom-fn", event({ oom: true }), { deadlineMs: 30_000 });
    expect(result.functionError).toBe("Unhandled");
    expect(result.timedOut).toBeFalsy();
    expect(json(result.payload)).toEqual({
      errorType: "Runtime.OutOfMemory",
      errorMessage: `RequestId: ${result.requestId} Error: Runtime exited with error: signal: killed`,
    });
    expect(logs.messagesOf(result.requestId).at(-1)).toMatch(/\tError Type: Runtime\.OutOfMemory\t\n$/);
  });

  it("refuses results JSON cannot represent with the runtime's error", async () => {
    for (const kind of ["function", "bigint", "circular"]) {
      const result = await invoker.invoke("bad-fn", event({ kind }));
      expect(result.functionError).toBe("Unhandled");
      expect(json(result.payload)).toMatchObject({
        errorType: "Error",
        errorMessage: "Unable to stringify response body",
      });
    }
    expect((await invoker.invoke("bad-fn", event({ kind: "undefined" }))).payload).toBe("null");
    const huge = await invoker.invoke("bad-fn", event({ kind: "huge" }));
    expect(huge.functionError).toBe("Unhandled");
    expect(json(huge.payload)).toEqual({
      errorMessage: "Response payload size exceeded maximum allowed payload size (6291556 bytes).",
      errorType: "Function.ResponseSizeTooLarge",
    });
    expect(json((await invoker.invoke("bad-fn", "{}")).payload)).toEqual({ fine: true });
  });

  it("fails the running invocation on an exception thrown outside the handler", async () => {
    const result = await invoker.invoke("uncaught-fn", event({ mode: "timer" }), { deadlineMs: 10_000 });
    expect(result.functionError).toBe("Unhandled");
    expect(json(result.payload)).toMatchObject({ errorType: "Error", errorMessage: "thrown from a timer" });
    const messages = logs.messagesOf(result.requestId);
    expect(messages.some((m) => m.includes("\tERROR\tUncaught Exception \t{"))).toBe(true);
    expect(messages.at(-1)).toMatch(/Error Type: Runtime\.ExitError\t\n$/);

    const rejection = await invoker.invoke("uncaught-fn", event({ mode: "rejection" }), {
      deadlineMs: 10_000,
    });
    expect(json(rejection.payload)).toMatchObject({
      errorType: "Runtime.UnhandledPromiseRejection",
      errorMessage: "Error: nobody catches this",
    });
  });

  it("reports init failures with the runtime's error types", async () => {
    const init = await invoker.invoke("init-error-fn", "{}");
    expect(init.functionError).toBe("Unhandled");
    expect(json(init.payload)).toMatchObject({ errorType: "Error", errorMessage: "cannot initialise" });
    expect(logs.messagesOf(init.requestId)[0]).toMatch(
      new RegExp(`^${ISO}\\tundefined\\tERROR\\tUncaught Exception \\t\\{"errorType":"Error"`),
    );
    expect(logs.messagesOf(init.requestId).at(-1)).toMatch(/\tStatus: error\tError Type: Error\t\n$/);
    const missing = await invoker.invoke("missing-import-fn", "{}");
    expect(json(missing.payload)).toMatchObject({
      errorType: "Runtime.ImportModuleError",
      errorMessage: expect.stringContaining("a-package-that-is-not-installed"),
    });
    const noExport = await invoker.invoke("missing-export-fn", "{}");
    expect(json(noExport.payload)).toMatchObject({
      errorType: "Runtime.HandlerNotFound",
      errorMessage: "async.nope is undefined or not exported",
    });
    const notFunction = await invoker.invoke("not-function-fn", "{}");
    expect(json(notFunction.payload)).toMatchObject({
      errorType: "Runtime.HandlerNotFound",
      errorMessage: "async.notAFunction is not a function",
    });
    const broken = await invoker.invoke("broken-ts-fn", "{}");
    expect(json(broken.payload)).toMatchObject({
      errorType: "Runtime.UserCodeSyntaxError",
      errorMessage: expect.stringContaining("broken.ts:2:"),
    });
  });

  it("keeps a bounded number of log lines from a handler that prints without end", async () => {
    const result = await invoker.invoke("flood-fn", "{}", { deadlineMs: 300 });
    expect(result.timedOut).toBe(true);
    const messages = logs.messagesOf(result.requestId);
    expect(messages.filter((m) => m.includes("\tINFO\tflood ")).length).toBeLessThanOrEqual(10_000);
    expect(messages).toContain(`${ISO}\tundefined\tINFO\tinit line\n`);
    expect(messages.some((m) => m.includes("log lines in one invocation; the rest were dropped"))).toBe(true);
  });

  it("stops a module that never finishes loading at the deadline", async () => {
    const result = await invoker.invoke("init-hangs-fn", "{}", { deadlineMs: 300 });
    expect(result.timedOut).toBe(true);
    expect(logs.messagesOf(result.requestId)[0]).toBe(
      `START RequestId: ${result.requestId} Version: $LATEST\n`,
    );
  });

  it("throws Lambda's ResourceNotFoundException for an unknown function", async () => {
    const error = await invoker.invoke("nope", "{}").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LambdaServiceError);
    expect(error).toMatchObject({
      code: "ResourceNotFoundException",
      message: "Function not found: nope",
      status: 404,
    });
  });
});

describe("after each fault the worker is replaced and the next invocation succeeds", () => {
  const functions = [
    fixture("recover-busy", "hangs.mjs"),
    fixture("recover-pending", "hangs.mjs"),
    fixture("recover-exit", "exits.mjs"),
    fixture("recover-oom", "oom.mjs", "handler", { memorySize: 64 }),
    fixture("recover-uncaught", "uncaught.mjs"),
    fixture("recover-rejection", "uncaught.mjs"),
  ];
  const { invoker } = testInvoker(functions);
  afterAll(() => invoker.close());

  const faults: [string, unknown][] = [
    ["recover-busy", { mode: "busy" }],
    ["recover-pending", { mode: "pending" }],
    ["recover-exit", { code: 1 }],
    ["recover-oom", { oom: true }],
    ["recover-uncaught", { mode: "timer" }],
    ["recover-rejection", { mode: "rejection" }],
  ];

  it.each(faults)("%s", async (name, fault) => {
    const before = json((await invoker.invoke(name, "{}")).payload) as { threadId: number };
    const failed = await invoker.invoke(name, JSON.stringify(fault), { deadlineMs: 300 });
    expect(failed.functionError).toBe("Unhandled");
    const after = await invoker.invoke(name, "{}");
    expect(after.functionError).toBeUndefined();
    expect((json(after.payload) as { threadId: number }).threadId).not.toBe(before.threadId);
  });

  it("keeps answering other functions while several are failing at once", async () => {
    const results = await Promise.all([
      ...faults.map(([name, fault]) => invoker.invoke(name, JSON.stringify(fault), { deadlineMs: 300 })),
      ...faults.map(([name]) => invoker.invoke(name, "{}")),
    ]);
    expect(results.slice(0, faults.length).every((r) => r.functionError === "Unhandled")).toBe(true);
    expect(results.slice(faults.length).every((r) => r.functionError === undefined)).toBe(true);
  });
});

describe("concurrency and asynchronous invocations", () => {
  const functions = [
    fixture("concurrent-fn", "concurrent.mjs"),
    fixture("event-fn", "logs.mjs"),
    fixture("waits-fn", "cjs/callback.js", "waits"),
  ];
  const { invoker, logs } = testInvoker(functions, { maxWorkersPerFunction: 2 });
  let server: Server | undefined;
  afterAll(async () => {
    await invoker.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  it("runs overlapping invocations of one function in separate workers (up to the pool size)", async () => {
    const waiting: ServerResponse[] = [];
    server = createServer((_req, res) => {
      waiting.push(res);
      // Answered only when both invocations are in flight at once.
      if (waiting.length === 2) for (const r of waiting.splice(0)) r.end("go");
    });
    await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const results = await Promise.all([
      invoker.invoke("concurrent-fn", JSON.stringify({ url })),
      invoker.invoke("concurrent-fn", JSON.stringify({ url })),
    ]);
    const payloads = results.map((r) => json(r.payload) as { threadId: number; answer: string });
    expect(payloads.map((p) => p.answer)).toEqual(["go", "go"]);
    expect(payloads[0]!.threadId).not.toBe(payloads[1]!.threadId);

    // A third and fourth beyond the pool of two wait for a free worker instead of failing.
    const more = await Promise.all(
      [1, 2, 3, 4].map(() => invoker.invoke("concurrent-fn", JSON.stringify({ url }))),
    );
    expect(more.every((r) => r.functionError === undefined)).toBe(true);
  });

  it("answers an Event invocation at once and logs its run", async () => {
    const queued = await invoker.invoke("event-fn", JSON.stringify({ name: "async" }), {
      invocationType: "Event",
    });
    expect(queued.payload).toBe("");
    await logs.reported(queued.requestId);
    const messages = logs.messagesOf(queued.requestId);
    expect(messages).toContain(`${ISO}\t${queued.requestId}\tINFO\thello async\n`);
  });

  it("waits for the event loop to empty before answering a callback, unless told not to", async () => {
    const waited = await invoker.invoke("waits-fn", JSON.stringify({ wait: true }));
    expect(json(waited.payload)).toBe("answered");
    expect(logs.messagesOf(waited.requestId)).toContain(`${ISO}\t${waited.requestId}\tINFO\ttimer fired\n`);

    const eager = await invoker.invoke("waits-fn", JSON.stringify({ wait: false }));
    expect(json(eager.payload)).toBe("answered");
    expect(logs.messagesOf(eager.requestId).join("")).not.toContain("timer fired");
  });
});

describe("a function redefined under the same name", () => {
  it("runs the new definition in new workers and ends the old ones", async () => {
    let current = fixture("redefined", "env.mjs", "handler", { environment: { TABLE: "v1" } });
    const registry = { resolve: () => current, list: () => [current] };
    const { invoker } = testInvoker([], { registry });
    try {
      const v1 = json((await invoker.invoke("redefined", "{}")).payload) as { TABLE: string };
      current = { ...current, environment: { TABLE: "v2" } };
      const v2 = json((await invoker.invoke("redefined", "{}")).payload) as { TABLE: string };
      expect([v1.TABLE, v2.TABLE]).toEqual(["v1", "v2"]);
    } finally {
      await invoker.close();
    }
  });
});

describe("a registry that builds its definitions on every lookup", () => {
  it("keeps the warm worker as long as the definition is the same", async () => {
    const definition = fixture("rebuilt", "async.mjs");
    const registry = { resolve: () => ({ ...definition, environment: {} }), list: () => [definition] };
    const { invoker } = testInvoker([], { registry });
    try {
      const first = json((await invoker.invoke("rebuilt", "{}")).payload) as AsyncAnswer;
      const second = json((await invoker.invoke("rebuilt", "{}")).payload) as AsyncAnswer;
      expect(second.invocations).toBe(first.invocations + 1);
    } finally {
      await invoker.close();
    }
  });
});

describe("a log sink that fails or never answers", () => {
  it("never fails or holds up the invocation", async () => {
    const failing = testInvoker([fixture("sink-fails", "async.mjs")], {
      logs: { append: () => Promise.reject(new Error("disk full")) },
    });
    const stuck = testInvoker([fixture("sink-stuck", "async.mjs")], {
      logs: { append: () => new Promise<void>(() => {}) },
    });
    try {
      expect((await failing.invoker.invoke("sink-fails", "{}")).functionError).toBeUndefined();
      expect((await stuck.invoker.invoke("sink-stuck", "{}")).functionError).toBeUndefined();
    } finally {
      await Promise.all([failing.invoker.close(), stuck.invoker.close()]);
    }
  });
});

describe("close", () => {
  it("ends every worker and refuses later invocations", async () => {
    const { invoker } = testInvoker([fixture("close-fn", "hangs.mjs", "pending")]);
    const pending = invoker.invoke("close-fn", "{}").catch((e: unknown) => e);
    await invoker.invoke("close-fn", "{}", { invocationType: "Event" });
    await invoker.close();
    expect(await pending).toMatchObject({ code: "ServiceException" });
    await expect(invoker.invoke("close-fn", "{}")).rejects.toMatchObject({ code: "ServiceException" });
  });
});
