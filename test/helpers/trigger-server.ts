// A test server whose pools run real fixture handlers through the real trigger runner, and the events those handlers received.

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll } from "vitest";
import { createCognitoRunner } from "../../src/cognito/trigger-runner/cognito-runner.js";
import type { ServerOptions } from "../../src/edge/create-server.js";
import { createPermissionTable } from "../../src/lambda/permissions.js";
import type { FunctionDefinition } from "../../src/lambda/ports.js";
import { createRegistry } from "../../src/lambda/registry.js";
import { createWorkerInvoker } from "../../src/lambda/worker-invoker.js";
import { systemClock } from "../../src/shared/clock.js";
import { cryptoRandom } from "../../src/shared/random.js";
import { type TestServer, useTestServer } from "./server.js";

export const TRIGGER_HANDLERS = resolve(import.meta.dirname, "../fixtures/handlers/triggers");

/** A fixture module under test/fixtures/handlers/triggers, the handler it exports, and extra environment. */
export type FunctionSpec = [module: string, exportName: string, environment?: Record<string, string>];

export const arnOf = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;

export interface TriggerServer {
  get: () => TestServer;
  /** Every event the function received, oldest first. */
  events: (name: string) => Record<string, unknown>[];
  /** The one event the function received since the last clear (fails on any other count). */
  event: (name: string) => Record<string, unknown>;
  clear: () => void;
}

/**
 * Registers `functions` (name → fixture handler) and starts a server with the real CognitoRunner over the
 * real worker invoker (warm worker threads). Handlers write what they received to a temp dir of this test
 * file. `deadlineMs` replaces Cognito's 5 s per attempt so timeouts take moments.
 */
export function useTriggerServer(
  functions: Record<string, FunctionSpec>,
  options: {
    deadlineMs?: number;
    server?: ServerOptions;
    /** Where custom senders' codes are encrypted (the edge's KMS API); default the test server itself. */
    kmsUrl?: () => string | undefined;
  } = {},
): TriggerServer {
  const dir = mkdtempSync(join(tmpdir(), "cognito-triggers-events-"));
  const definitions: FunctionDefinition[] = Object.entries(functions).map(
    ([name, [module, exportName, env]]) => ({
      name,
      arn: arnOf(name),
      modulePath: join(TRIGGER_HANDLERS, module),
      exportName,
      cwd: TRIGGER_HANDLERS,
      runtime: "nodejs20.x",
      timeout: 6,
      memorySize: 128,
      environment: { TRIGGER_EVENTS_DIR: dir, ...env },
    }),
  );
  const registry = createRegistry(definitions);
  const logs = { append: async () => {} };
  let running: TestServer | undefined;
  const edgeUrl = options.kmsUrl ?? (() => running?.url);
  const invoker = createWorkerInvoker({ registry, logs, clock: systemClock, random: cryptoRandom, edgeUrl });
  const triggers = createCognitoRunner({ invoker, deadlineMs: options.deadlineMs ?? 2_000, edgeUrl });
  const started = useTestServer({
    ...options.server,
    triggers,
    lambda: { functions: registry, invoker, logs, permissions: createPermissionTable() },
  });
  const get = () => {
    running = started();
    return running;
  };
  afterAll(async () => {
    await invoker.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const events = (name: string): Record<string, unknown>[] => {
    let text: string;
    try {
      text = readFileSync(join(dir, `${name}.jsonl`), "utf8");
    } catch {
      return [];
    }
    return text
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  };
  return {
    get,
    events,
    event: (name) => {
      const all = events(name);
      if (all.length !== 1) throw new Error(`${name} received ${all.length} events, expected 1`);
      return all[0] as Record<string, unknown>;
    },
    clear: () => {
      for (const name of Object.keys(functions)) rmSync(join(dir, `${name}.jsonl`), { force: true });
    },
  };
}
