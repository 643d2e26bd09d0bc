// Shared pieces of the local Lambda runtime tests: fixture functions, a log sink that keeps events, fixed randomness.
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { FunctionDefinition, LogEvent, LogSink } from "../../../src/lambda/ports.js";
import { createRegistry } from "../../../src/lambda/registry.js";
import { createWorkerInvoker, type WorkerInvokerOptions } from "../../../src/lambda/worker-invoker.js";
import { TestClock } from "../../helpers/server.js";

export const FIXTURES = fileURLToPath(new URL("../../fixtures/handlers/runtime/", import.meta.url));
export const REGION = "eu-west-1";
export const ACCOUNT = "123456789012";

/** A function over a fixture file; `name` is also the deployed name. */
export function fixture(
  name: string,
  file: string,
  exportName = "handler",
  overrides: Partial<FunctionDefinition> = {},
): FunctionDefinition {
  return {
    name,
    arn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`,
    modulePath: join(FIXTURES, file),
    exportName,
    cwd: FIXTURES,
    runtime: "nodejs20.x",
    timeout: 6,
    memorySize: 256,
    environment: {},
    ...overrides,
  };
}

export interface StoredStream {
  group: string;
  stream: string;
  events: LogEvent[];
}

/** Keeps every appended event by group and stream, in order. */
export class MemoryLogSink implements LogSink {
  readonly streams: StoredStream[] = [];
  private waiters: { requestId: string; resolve: () => void }[] = [];

  async append(group: string, stream: string, events: readonly LogEvent[]): Promise<void> {
    let stored = this.streams.find((s) => s.group === group && s.stream === stream);
    if (!stored) {
      stored = { group, stream, events: [] };
      this.streams.push(stored);
    }
    stored.events.push(...events);
    for (const waiter of [...this.waiters])
      if (this.messagesOf(waiter.requestId).length > 0) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
  }

  /** Resolves once the invocation's REPORT line is in the sink (asynchronous invocations). */
  reported(requestId: string): Promise<void> {
    if (this.messagesOf(requestId).length > 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ requestId, resolve }));
  }

  /** The messages logged for one invocation, START to REPORT (and what came before START). */
  messagesOf(requestId: string): string[] {
    for (const stream of this.streams) {
      const end = stream.events.findIndex((e) => e.message.startsWith(`REPORT RequestId: ${requestId}\t`));
      if (end < 0) continue;
      let start = end;
      while (start > 0 && !stream.events[start - 1]?.message.startsWith("REPORT RequestId: ")) start -= 1;
      return stream.events.slice(start, end + 1).map((e) => e.message);
    }
    return [];
  }
}

/** Request ids and stream suffixes that count up, so log lines can be asserted exactly. */
export function countingRandom(): NonNullable<WorkerInvokerOptions["random"]> {
  let uuids = 0;
  let bytes = 0;
  return {
    uuid: () => `00000000-0000-4000-8000-${String(++uuids).padStart(12, "0")}`,
    bytes: (length: number) => {
      bytes += 1;
      const buffer = Buffer.alloc(length);
      buffer.writeUInt32BE(bytes, length - 4);
      return buffer;
    },
  };
}

export function testInvoker(
  functions: FunctionDefinition[],
  options: Partial<WorkerInvokerOptions> = {},
): { invoker: ReturnType<typeof createWorkerInvoker>; logs: MemoryLogSink; clock: TestClock } {
  const logs = new MemoryLogSink();
  const clock = new TestClock();
  const invoker = createWorkerInvoker({
    registry: createRegistry(functions),
    logs,
    clock,
    random: countingRandom(),
    edgeUrl: () => "http://127.0.0.1:9229",
    ...options,
  });
  return { invoker, logs, clock };
}
