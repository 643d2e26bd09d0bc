// Lambda's text formats: exact lines and payloads.
import { describe, expect, it } from "vitest";
import {
  consoleLine,
  endLine,
  exitError,
  exitReason,
  formatLoggedError,
  invocationLog,
  logStreamName,
  reportLine,
  startLine,
  timeoutError,
  timeoutLine,
  toRapidError,
} from "./lambda-format.js";

const T = Date.UTC(2026, 0, 15, 12, 0, 0, 5);
const ID = "8f5a3c1e-0000-4000-8000-000000000001";

describe("log lines", () => {
  it("console, START and END lines", () => {
    expect(consoleLine(T, ID, "INFO", "hello")).toBe(`2026-01-15T12:00:00.005Z\t${ID}\tINFO\thello\n`);
    expect(startLine(ID)).toBe(`START RequestId: ${ID} Version: $LATEST\n`);
    expect(endLine(ID)).toBe(`END RequestId: ${ID}\n`);
  });

  it("REPORT with every field followed by a tab, Init Duration only when given", () => {
    expect(reportLine({ requestId: ID, durationMs: 12.344, memorySize: 128, maxMemoryUsedMb: 57.2 })).toBe(
      `REPORT RequestId: ${ID}\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\tMax Memory Used: 58 MB\t\n`,
    );
    expect(
      reportLine({
        requestId: ID,
        durationMs: 0.2,
        memorySize: 1024,
        maxMemoryUsedMb: 0,
        initDurationMs: 143.486,
      }),
    ).toBe(
      `REPORT RequestId: ${ID}\tDuration: 0.20 ms\tBilled Duration: 1 ms\tMemory Size: 1024 MB\tMax Memory Used: 1 MB\tInit Duration: 143.49 ms\t\n`,
    );
    expect(
      reportLine({
        requestId: ID,
        durationMs: 3000,
        memorySize: 128,
        maxMemoryUsedMb: 60,
        status: "error",
        errorType: "Runtime.ExitError",
      }),
    ).toBe(
      `REPORT RequestId: ${ID}\tDuration: 3000.00 ms\tBilled Duration: 3000 ms\tMemory Size: 128 MB\tMax Memory Used: 60 MB\tStatus: error\tError Type: Runtime.ExitError\t\n`,
    );
  });

  it("stream names: date and 32 hex digits", () => {
    expect(logStreamName(T, "0123456789abcdef0123456789abcdef")).toBe(
      "2026/01/15/[$LATEST]0123456789abcdef0123456789abcdef",
    );
  });

  it("timeouts and runtime exits", () => {
    expect(timeoutLine(T, ID, 3004)).toBe(
      `2026-01-15T12:00:00.005Z ${ID} Task timed out after 3.00 seconds\n`,
    );
    expect(timeoutError(ID, 306)).toEqual({
      errorType: "Sandbox.Timedout",
      errorMessage: `RequestId: ${ID} Error: Task timed out after 0.31 seconds`,
    });
    expect(exitError(ID, "Runtime.ExitError", exitReason(1))).toEqual({
      errorType: "Runtime.ExitError",
      errorMessage: `RequestId: ${ID} Error: Runtime exited with error: exit status 1`,
    });
    expect(exitReason(0)).toBe("Runtime exited without providing a reason");
  });
});

describe("error payloads", () => {
  it("errors by name, message and stack lines; other values by type", () => {
    const error = new TypeError("bad");
    const rapid = toRapidError(error);
    expect(rapid.errorType).toBe("TypeError");
    expect(rapid.errorMessage).toBe("bad");
    expect(rapid.trace?.[0]).toBe("TypeError: bad");
    expect(toRapidError("text")).toEqual({ errorType: "string", errorMessage: "text", trace: [] });
    expect(toRapidError(42)).toEqual({ errorType: "number", errorMessage: "42", trace: [] });
    expect(toRapidError({ a: 1 })).toEqual({
      errorType: "object",
      errorMessage: "[object Object]",
      trace: [],
    });
    expect(toRapidError(undefined)).toMatchObject({ errorType: "handled" });
    expect(toRapidError({ name: "Custom", message: "m", stack: "Custom: m\n    at x" })).toEqual({
      errorType: "Custom",
      errorMessage: "m",
      trace: ["Custom: m", "    at x"],
    });
  });

  it("logged errors keep their own properties and a stack array", () => {
    const error = Object.assign(new Error("boom"), { code: "E_BOOM", detail: { a: 1 } });
    const logged = formatLoggedError(error);
    expect(
      logged.startsWith(
        '\t{"errorType":"Error","errorMessage":"boom","code":"E_BOOM","detail":{"a":1},"stack":["Error: boom"',
      ),
    ).toBe(true);
    expect(formatLoggedError("plain")).toBe('\t"plain"');
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(formatLoggedError(circular)).toBe(
      '\t{"errorType":"object","errorMessage":"[object Object]","trace":[]}',
    );
  });

  it("reads the log a local invoker attached to its result", () => {
    expect(invocationLog({ payload: "", requestId: ID, durationMs: 1 })).toBeUndefined();
    expect(invocationLog({ payload: "", requestId: ID, durationMs: 1, log: "x" } as never)).toBe("x");
  });
});
