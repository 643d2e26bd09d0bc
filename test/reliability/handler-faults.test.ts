// Reliability: triggers that throw, hang, exit, exhaust their heap or answer garbage get Cognito's error,
// while plain requests alongside them are not held up and the server stays healthy.

import { resolve } from "node:path";
import {
  AdminGetUserCommand,
  type CognitoIdentityProviderClient,
  ListUserPoolsCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCognitoRunner } from "../../src/cognito/trigger-runner/cognito-runner.js";
import { createPermissionTable } from "../../src/lambda/permissions.js";
import type { FunctionDefinition, LambdaInvoker } from "../../src/lambda/ports.js";
import { createRegistry } from "../../src/lambda/registry.js";
import { createWorkerInvoker } from "../../src/lambda/worker-invoker.js";
import { systemClock } from "../../src/shared/clock.js";
import { cryptoRandom } from "../../src/shared/random.js";
import { errorOf, startTestServer, type TestServer } from "../helpers/server.js";
import { createClient, createPool, PASSWORD, unique } from "../integration/cognito/auth-fixtures.js";

const FIXTURES = resolve(import.meta.dirname, "fixtures/handler-faults");
/** Per-attempt deadline of the runner (Cognito's is 5 s; shorter so hangs resolve in moments). */
const DEADLINE_MS = 500;
/** Cognito's own per-attempt limit: no plain request alongside a fault may take longer. */
const COGNITO_LIMIT_MS = 5_000;
/** Parallel loops of plain SignUps on a pool without triggers while each fault runs. */
const BYSTANDERS = 4;

const arnOf = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;

const fn = (name: string, memorySize = 128): FunctionDefinition => ({
  name,
  arn: arnOf(name),
  modulePath: `${FIXTURES}/faults.mjs`,
  exportName: name,
  cwd: FIXTURES,
  runtime: "nodejs20.x",
  timeout: 6,
  memorySize,
  environment: {},
});

interface Fault {
  name: string;
  expected: { name: string; message: string | RegExp };
}

const FAULTS: Fault[] = [
  {
    name: "throws",
    expected: {
      name: "UserLambdaValidationException",
      message: "PreSignUp failed with error Boom from the fault fixture.",
    },
  },
  {
    name: "hangs",
    expected: {
      name: "UnexpectedLambdaException",
      message: "PreSignUp invocation failed due to error Socket timeout while invoking Lambda function.",
    },
  },
  {
    name: "exits",
    expected: {
      name: "UserLambdaValidationException",
      message:
        /^PreSignUp failed with error RequestId: \S+ Error: Runtime exited with error: exit status 1\.$/,
    },
  },
  {
    name: "allocates",
    expected: {
      name: "UserLambdaValidationException",
      message:
        /^PreSignUp failed with error RequestId: \S+ Error: Runtime exited with error: signal: killed\.$/,
    },
  },
  {
    name: "returnsNumber",
    expected: { name: "InvalidLambdaResponseException", message: "Unrecognizable lambda output" },
  },
  {
    name: "wrongTypes",
    expected: { name: "InvalidLambdaResponseException", message: "Unrecognizable lambda output" },
  },
];

const registry = createRegistry([
  ...FAULTS.map((f) => fn(f.name, f.name === "allocates" ? 32 : 128)),
  fn("passes"),
  fn("allocatesExternal"),
]);
const logs = { append: async () => {} };
const lambdaOf = (invoker: LambdaInvoker) => ({
  functions: registry,
  invoker,
  logs,
  permissions: createPermissionTable(),
});

let running: TestServer | undefined;
let invoker: LambdaInvoker | undefined;
let plainClientId = "";

beforeAll(async () => {
  invoker = createWorkerInvoker({
    registry,
    logs,
    clock: systemClock,
    random: cryptoRandom,
    edgeUrl: () => running?.url,
  });
  const triggers = createCognitoRunner({ invoker, deadlineMs: DEADLINE_MS });
  running = await startTestServer({
    triggers,
    lambda: lambdaOf(invoker),
  });
  const plainPool = await createPool(running.cognito);
  plainClientId = (await createClient(running.cognito, plainPool)).clientId;
});

afterAll(async () => {
  running?.cognito.destroy();
  await running?.server.close();
  await invoker?.close();
});

const server = (): TestServer => {
  if (!running) throw new Error("server not started");
  return running;
};

async function signUp(cognito: CognitoIdentityProviderClient, clientId: string, username: string) {
  await cognito.send(
    new SignUpCommand({
      ClientId: clientId,
      Username: username,
      Password: PASSWORD,
      UserAttributes: [{ Name: "email", Value: `${username}@example.com` }],
    }),
  );
}

/** Plain SignUps in BYSTANDERS parallel loops until `done` settles: their latencies and failures. */
async function bystanders(
  done: Promise<unknown>,
  { cognito, clientId }: { cognito: CognitoIdentityProviderClient; clientId: string },
) {
  let finished = false;
  done.finally(() => {
    finished = true;
  });
  const latencies: number[] = [];
  const failures: string[] = [];
  const loop = async () => {
    // At least one request per loop, so a fault that settles at once is still measured against.
    do {
      const started = performance.now();
      try {
        await signUp(cognito, clientId, unique("bystander"));
      } catch (error) {
        failures.push(String(error));
      }
      latencies.push(performance.now() - started);
    } while (!finished);
  };
  await Promise.all(Array.from({ length: BYSTANDERS }, loop));
  return { latencies, failures };
}

describe("handler faults", () => {
  for (const fault of FAULTS) {
    it(`${fault.name}: Cognito's error, bystanders not delayed, server healthy after`, async () => {
      const { cognito } = server();
      const poolId = await createPool(cognito, { LambdaConfig: { PreSignUp: arnOf(fault.name) } });
      const { clientId } = await createClient(cognito, poolId);
      const username = unique("fault");

      const started = performance.now();
      const failing = errorOf(signUp(cognito, clientId, username));
      const [error, side] = await Promise.all([
        failing,
        bystanders(failing, { cognito, clientId: plainClientId }),
      ]);
      const faultMs = performance.now() - started;

      // The server after the fault: the same request on a working pool and a plain call both succeed.
      const healthyPool = await createPool(cognito, { LambdaConfig: { PreSignUp: arnOf("passes") } });
      const healthy = await createClient(cognito, healthyPool);
      await signUp(cognito, healthy.clientId, unique("after"));
      await cognito.send(new ListUserPoolsCommand({ MaxResults: 1 }));
      const leftBehind = await errorOf(
        cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username })),
      );

      const maxBystanderMs = Math.max(...side.latencies);
      console.log(
        JSON.stringify({
          test: "handler-faults",
          fault: fault.name,
          error: error.name,
          faultMs: Math.round(faultMs),
          bystanderRequests: side.latencies.length,
          bystanderMaxMs: Math.round(maxBystanderMs),
          bystanderFailures: side.failures.length,
        }),
      );

      expect(error.name).toBe(fault.expected.name);
      if (typeof fault.expected.message === "string") expect(error.message).toBe(fault.expected.message);
      else expect(error.message).toMatch(fault.expected.message);
      // A failed PreSignUp leaves no user behind.
      expect(leftBehind.name).toBe("UserNotFoundException");
      expect(side.failures).toEqual([]);
      expect(maxBystanderMs).toBeLessThan(COGNITO_LIMIT_MS);
      // Three attempts at most, each cut off at the deadline: generous bound for a loaded machine.
      expect(faultMs).toBeLessThan(3 * (DEADLINE_MS + 250) + 10_000);
    }, 60_000);
  }

  // With Cognito's real 5 s deadline: a dozen cold workers starting at once on a small machine can take
  // longer than the short test deadline, which would turn a handler's own failure into a timeout.
  it("all faults at once, twice over, with Cognito's 5 s deadline: each its own error, bystanders unaffected", async () => {
    if (!invoker) throw new Error("invoker not started");
    const real = await startTestServer({
      triggers: createCognitoRunner({ invoker }),
      lambda: lambdaOf(invoker),
    });
    try {
      await burst(real);
    } finally {
      real.cognito.destroy();
      await real.server.close();
    }
  }, 60_000);

  // BUG (src/lambda/worker-invoker.ts, the Worker's `resourceLimits`): a function's memorySize is enforced only on
  // the V8 heap (maxOldGenerationSizeMb). Memory outside it (Buffers, ArrayBuffers) is not counted: a 128 MB
  // function filling 768 MB of Buffers is never stopped at its memorySize (Lambda: Runtime.OutOfMemory,
  // "signal: killed"); here it succeeds, or on a slow run hits the deadline (UnexpectedLambdaException after 3
  // attempts), while the server process's RSS grows by ~700 MB; a handler allocating without bound grows the
  // server itself until the host kills it. Expected: the worker is stopped at memorySize and Cognito answers UserLambdaValidationException.
  it.fails("allocatesExternal: memory outside the V8 heap is held to memorySize like Lambda's", async () => {
    const { cognito } = server();
    const poolId = await createPool(cognito, { LambdaConfig: { PreSignUp: arnOf("allocatesExternal") } });
    const { clientId } = await createClient(cognito, poolId);
    const rssBefore = process.memoryUsage().rss;
    const started = performance.now();
    const error = await errorOf(signUp(cognito, clientId, unique("external"))).catch((e: unknown) => ({
      name: "none",
      message: String(e),
    }));
    console.log(
      JSON.stringify({
        test: "handler-faults",
        fault: "allocatesExternal",
        error: error.name,
        faultMs: Math.round(performance.now() - started),
        rssGrowthMb: Math.round((process.memoryUsage().rss - rssBefore) / 1048576),
      }),
    );
    // The server is healthy either way.
    await signUp(cognito, plainClientId, unique("after-external"));
    expect(error.name).toBe("UserLambdaValidationException");
    expect(error.message).toMatch(/Runtime exited with error: signal: killed\.$/);
  }, 60_000);
});

/** Every fault twice, all at once, with plain SignUps alongside on a pool without triggers. */
async function burst({ cognito }: TestServer) {
  const plainClient = await createClient(cognito, await createPool(cognito));
  const pools = await Promise.all(
    FAULTS.map(async (fault) => {
      const poolId = await createPool(cognito, { LambdaConfig: { PreSignUp: arnOf(fault.name) } });
      return { fault, clientId: (await createClient(cognito, poolId)).clientId };
    }),
  );
  const started = performance.now();
  const all = Promise.all(
    [...pools, ...pools].map(async ({ fault, clientId }) => ({
      fault,
      error: await errorOf(signUp(cognito, clientId, unique("burst"))),
    })),
  );
  const [results, side] = await Promise.all([
    all,
    bystanders(all, { cognito, clientId: plainClient.clientId }),
  ]);
  const totalMs = performance.now() - started;
  const maxBystanderMs = Math.max(...side.latencies);
  console.log(
    JSON.stringify({
      test: "handler-faults",
      fault: "all-at-once",
      faults: results.length,
      totalMs: Math.round(totalMs),
      bystanderRequests: side.latencies.length,
      bystanderMaxMs: Math.round(maxBystanderMs),
      bystanderFailures: side.failures.length,
    }),
  );
  for (const { fault, error } of results) {
    expect(error.name, fault.name).toBe(fault.expected.name);
    if (typeof fault.expected.message === "string") expect(error.message).toBe(fault.expected.message);
    else expect(error.message).toMatch(fault.expected.message);
  }
  expect(side.failures).toEqual([]);
  expect(maxBystanderMs).toBeLessThan(COGNITO_LIMIT_MS);
  await signUp(cognito, plainClient.clientId, unique("after-burst"));
}
