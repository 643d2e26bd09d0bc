// The PostConfirmation user sync: retries with backoff within the time budget, saves what still fails, never throws; and the User Service.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { PostConfirmationTriggerEvent } from "aws-lambda";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  backoffDelay,
  createHandler,
  MAX_ATTEMPTS,
  type SyncDeps,
  type UserRecord,
} from "../../examples/user-pools-and-triggers/src/handlers/user-sync.js";
import { startExampleUserService, type UserService } from "../../src/workflows/demo.js";

const event = (source = "PostConfirmation_ConfirmSignUp") =>
  ({
    triggerSource: source,
    userName: "jane",
    userPoolId: "us-east-1_abc",
    request: { userAttributes: { sub: "sub-1", email: "jane@example.com", name: "Jane Doe" } },
    response: {},
  }) as unknown as PostConfirmationTriggerEvent;

let dir: string;
let service: UserService;
let saved: { record: UserRecord; error: string; attempts: number }[];
let sleeps: number[];
let remaining: number;

const deps = (overrides: Partial<SyncDeps> = {}): SyncDeps => ({
  fetch: (input, init) => fetch(input, init),
  saveFailed: async (record, error, attempts) => {
    saved.push({ record, error, attempts });
  },
  sleep: async (ms) => {
    sleeps.push(ms);
    remaining -= ms;
  },
  random: () => 0.5,
  env: { USER_SERVICE_URL: service.url },
  log: () => {},
  ...overrides,
});
const context = { getRemainingTimeInMillis: () => remaining };

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "user-sync-"));
  service = await startExampleUserService(join(dir, "users.json"));
  saved = [];
  sleeps = [];
  remaining = 5_000;
});
afterEach(async () => {
  await service.close();
  await rm(dir, { recursive: true, force: true });
});

describe("user sync handler", () => {
  it("posts the confirmed user once the service recovers, and saves nothing", async () => {
    service.failNext(2);
    const result = await createHandler(deps())(event(), context);
    expect(result.triggerSource).toBe("PostConfirmation_ConfirmSignUp");
    expect(service.users()).toEqual([
      expect.objectContaining({
        cognitoSub: "sub-1",
        email: "jane@example.com",
        fullName: "Jane Doe",
        status: "ACTIVE",
        role: "USER",
      }),
    ]);
    expect(sleeps).toEqual([backoffDelay(0, 0.5), backoffDelay(1, 0.5)]);
    expect(saved).toEqual([]);
  });

  it("gives up after the last attempt without sleeping again and saves the failed sync", async () => {
    service.failNext(100);
    await createHandler(deps())(event(), context);
    expect(saved).toHaveLength(1);
    expect(saved[0]).toMatchObject({
      error: "HTTP 500",
      attempts: MAX_ATTEMPTS,
      record: { cognitoSub: "sub-1" },
    });
    expect(sleeps).toHaveLength(MAX_ATTEMPTS - 1);
  });

  it("stops retrying when the next attempt would not fit the remaining time", async () => {
    service.failNext(100);
    remaining = 1_300;
    await createHandler(deps({ random: () => 0.99 }))(event(), context);
    expect(saved[0]?.attempts).toBeLessThan(MAX_ATTEMPTS);
  });

  it("never throws, even when saving the failure fails", async () => {
    const handler = createHandler(
      deps({
        env: { USER_SERVICE_URL: "http://127.0.0.1:9" },
        saveFailed: async () => {
          throw new Error("table is gone");
        },
      }),
    );
    await expect(handler(event(), context)).resolves.toBeDefined();
  });

  it("ignores forgot-password confirmations", async () => {
    await createHandler(deps())(event("PostConfirmation_ConfirmForgotPassword"), context);
    expect(service.users()).toEqual([]);
  });

  it("sends the API key when one is set; the service checks it", async () => {
    await service.close();
    service = await startExampleUserService(join(dir, "keyed.json"), "k");
    await createHandler(deps({ env: { USER_SERVICE_URL: service.url } }))(event(), context);
    expect(saved[0]?.error).toBe("HTTP 401");
    await createHandler(deps({ env: { USER_SERVICE_URL: service.url, USER_SERVICE_API_KEY: "k" } }))(
      event(),
      context,
    );
    expect(service.users()).toHaveLength(1);
  });
});

describe("User Service", () => {
  it("is idempotent on cognitoSub, serves GET by sub, and persists to its file", async () => {
    const body = JSON.stringify({ cognitoSub: "s", email: "a@example.com" });
    const post = () => fetch(`${service.url}/api/v1/users`, { method: "POST", body });
    expect((await post()).status).toBe(201);
    expect((await post()).status).toBe(200);
    expect(await (await fetch(`${service.url}/api/v1/users/s`)).json()).toMatchObject({
      email: "a@example.com",
    });
    expect((await fetch(`${service.url}/api/v1/users/other`)).status).toBe(404);
    await service.close();
    service = await startExampleUserService(join(dir, "users.json"));
    expect(
      ((await (await fetch(`${service.url}/api/v1/users`)).json()) as { users: unknown[] }).users,
    ).toHaveLength(1);
  });
});
