// Reliability: property-based fuzzing of every registered action over real HTTP (random and mutated bodies).
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACTIONS } from "../../src/cognito/actions/registry.js";
import { silentLogger } from "../../src/shared/logger.js";
import { startTestServer, type TestServer } from "../helpers/server.js";

const SEED = 0x7f22;
const RANDOM_RUNS = 320;
const MUTATED_RUNS = 200;
const REQUEST_TIMEOUT_MS = 10_000;
const ACTION_NAMES = Object.keys(ACTIONS).sort();

type Outcome = "ok" | "clientError" | "serverError" | "bad";

interface Reply {
  status: number;
  text: string;
}

async function post(url: string, action: string, body: string): Promise<Reply> {
  const res = await fetch(url, {
    method: "POST",
    headers: {
      "Content-Type": "application/x-amz-json-1.1",
      "X-Amz-Target": `AWSCognitoIdentityProviderService.${action}`,
    },
    body,
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  return { status: res.status, text: await res.text() };
}

/** Signs of a leaked internal error: stacks, source paths, JS engine messages. */
const LEAKS = [
  /\n\s+at\s/,
  /\bat [^\s]+ \(.+:\d+:\d+\)/,
  /node_modules/,
  /file:\/\//,
  /\.(ts|js|mjs):\d+/,
  /undefined is not/i,
  /Cannot read propert/i,
  /is not a function/,
  /is not iterable/,
  /Maximum call stack/i,
  /\b(TypeError|ReferenceError|RangeError|SyntaxError):/,
];

/** Classifies one reply; anything not a valid result or a valid Cognito error shape is "bad". */
function classify(reply: Reply): { outcome: Outcome; why?: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(reply.text);
  } catch {
    return { outcome: "bad", why: `non-JSON body (${reply.status})` };
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    return { outcome: "bad", why: "body is not a JSON object" };
  if (reply.status === 200) return { outcome: "ok" };
  const error = parsed as { __type?: unknown; message?: unknown };
  if (reply.status < 400 || reply.status > 500) return { outcome: "bad", why: `status ${reply.status}` };
  if (typeof error.__type !== "string" || !/^[A-Z][A-Za-z]*Exception$/.test(error.__type))
    return { outcome: "bad", why: `__type ${String(error.__type)}` };
  if (typeof error.message !== "string") return { outcome: "bad", why: "message is not a string" };
  const leak = LEAKS.find((re) => re.test(error.message as string));
  if (leak)
    return { outcome: "bad", why: `message leaks internals (${leak}): ${error.message.slice(0, 200)}` };
  if (error.message.includes(process.cwd())) return { outcome: "bad", why: "message names a source path" };
  // A 500 is a crash the front caught: the fuzz must never reach one.
  if (reply.status === 500 || error.__type === "InternalErrorException")
    return { outcome: "serverError", why: `${error.__type}: ${error.message}` };
  return { outcome: "clientError" };
}

// ---- arbitraries -------------------------------------------------------------------------------

const weirdString = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 20 }) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 20 }) },
  { weight: 1, arbitrary: fc.constantFrom("", " ", "\u0000", "\ud800", "🙂".repeat(300), "a".repeat(5000)) },
  { weight: 1, arbitrary: fc.nat({ max: 300_000 }).map((n) => "x".repeat(n)) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      "us-east-1_",
      "us-east-1_AAAAAAAAA",
      "__proto__",
      "constructor",
      "${x}",
      "%s%n",
    ),
  },
);

const weirdNumber = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -1, 2 ** 31, 2 ** 53 + 1, -(2 ** 63), 1e308, -1e308, 5e-324, 1.5),
);

const leaf: fc.Arbitrary<unknown> = fc.oneof(weirdString, weirdNumber, fc.boolean(), fc.constant(null));

const { value: weirdValue } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leaf,
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(weirdString, tie("value"), { maxKeys: 4 }),
  ),
}));

/** A member name: mostly the names Cognito uses, so the bodies reach past the first check. */
const memberName = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      "UserPoolId",
      "ClientId",
      "ClientSecret",
      "Username",
      "Password",
      "PoolName",
      "ClientName",
      "GroupName",
      "AuthFlow",
      "AuthParameters",
      "ChallengeName",
      "ChallengeResponses",
      "Session",
      "AccessToken",
      "RefreshToken",
      "Token",
      "ConfirmationCode",
      "UserAttributes",
      "ValidationData",
      "ClientMetadata",
      "Limit",
      "MaxResults",
      "NextToken",
      "PaginationToken",
      "Filter",
      "AttributesToGet",
      "Policies",
      "LambdaConfig",
      "Schema",
      "Precedence",
      "RoleArn",
      "MessageAction",
      "DesiredDeliveryMediums",
      "TemporaryPassword",
      "Permanent",
      "UserAttributeNames",
      "ExplicitAuthFlows",
      "GenerateSecret",
      "RefreshTokenValidity",
      "TokenValidityUnits",
      "AliasAttributes",
      "UsernameAttributes",
      "AutoVerifiedAttributes",
    ),
  },
  { weight: 1, arbitrary: weirdString },
);

const randomBody = fc.dictionary(memberName, weirdValue, { maxKeys: 8 }).map((o) => JSON.stringify(o));

/** Bodies that are not an object of members at all: raw text, arrays, scalars, deep nesting. */
const rawBody = fc.oneof(
  fc.constantFrom("", "{", "null", "[]", "[1,2]", '"s"', "42", "true", "{}{}", '{"a":}', "\u0000"),
  fc.string({ maxLength: 50 }),
  fc.nat({ max: 200 }).map((n) => `${'{"a":'.repeat(n)}1${"}".repeat(n)}`),
  fc.nat({ max: 200 }).map((n) => `{"a":${"[".repeat(n)}${"]".repeat(n)}}`),
);

interface Ids {
  userPoolId: string;
  clientId: string;
  secretClientId: string;
}

/** Valid bodies for key actions; the mutators below edit their members. */
function validBodies(ids: Ids): { action: string; body: Record<string, unknown> }[] {
  const { userPoolId, clientId } = ids;
  return [
    {
      action: "SignUp",
      body: {
        ClientId: clientId,
        Username: "fuzz-user",
        Password: "Passw0rd!",
        UserAttributes: [{ Name: "email", Value: "fuzz@example.com" }],
      },
    },
    { action: "ConfirmSignUp", body: { ClientId: clientId, Username: "known", ConfirmationCode: "123456" } },
    {
      action: "InitiateAuth",
      body: {
        ClientId: clientId,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: "known", PASSWORD: "Passw0rd!" },
      },
    },
    {
      action: "AdminInitiateAuth",
      body: {
        UserPoolId: userPoolId,
        ClientId: clientId,
        AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: "known", PASSWORD: "Passw0rd!" },
      },
    },
    {
      action: "RespondToAuthChallenge",
      body: {
        ClientId: clientId,
        ChallengeName: "PASSWORD_VERIFIER",
        ChallengeResponses: { USERNAME: "known", PASSWORD_CLAIM_SIGNATURE: "AAAA", TIMESTAMP: "x" },
        Session: "abc",
      },
    },
    {
      action: "AdminCreateUser",
      body: {
        UserPoolId: userPoolId,
        Username: "admin-made",
        TemporaryPassword: "Passw0rd!",
        MessageAction: "SUPPRESS",
        UserAttributes: [{ Name: "email", Value: "a@example.com" }],
      },
    },
    {
      action: "AdminUpdateUserAttributes",
      body: { UserPoolId: userPoolId, Username: "known", UserAttributes: [{ Name: "name", Value: "K" }] },
    },
    {
      action: "AdminSetUserPassword",
      body: { UserPoolId: userPoolId, Username: "known", Password: "Passw0rd!", Permanent: true },
    },
    { action: "ListUsers", body: { UserPoolId: userPoolId, Limit: 10, Filter: 'username = "known"' } },
    { action: "CreateGroup", body: { UserPoolId: userPoolId, GroupName: "g", Precedence: 1 } },
    {
      action: "CreateUserPool",
      body: {
        PoolName: "fuzz",
        Policies: { PasswordPolicy: { MinimumLength: 8 } },
        Schema: [{ Name: "tier", AttributeDataType: "String", Mutable: true }],
        UsernameAttributes: ["email"],
      },
    },
    {
      action: "CreateUserPoolClient",
      body: {
        UserPoolId: userPoolId,
        ClientName: "c",
        ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        RefreshTokenValidity: 30,
      },
    },
    { action: "GetUser", body: { AccessToken: "eyJhbGciOiJSUzI1NiJ9.e30.AAAA" } },
    { action: "RevokeToken", body: { ClientId: clientId, Token: "not-a-token" } },
    {
      action: "ForgotPassword",
      body: { ClientId: ids.secretClientId, Username: "known", SecretHash: "AAAA" },
    },
  ].filter((b) => b.action in ACTIONS);
}

type Mutation =
  | { kind: "delete"; index: number }
  | { kind: "replace"; index: number; value: unknown }
  | { kind: "add"; key: string; value: unknown }
  | { kind: "nest"; index: number; key: string; value: unknown };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("delete" as const), index: fc.nat() }),
  fc.record({ kind: fc.constant("replace" as const), index: fc.nat(), value: weirdValue }),
  fc.record({ kind: fc.constant("add" as const), key: memberName, value: weirdValue }),
  fc.record({ kind: fc.constant("nest" as const), index: fc.nat(), key: weirdString, value: weirdValue }),
);

function mutate(body: Record<string, unknown>, mutations: readonly Mutation[]): Record<string, unknown> {
  const out: Record<string, unknown> = structuredClone(body);
  for (const m of mutations) {
    const keys = Object.keys(out);
    if (m.kind === "add") {
      out[m.key] = m.value;
      continue;
    }
    if (keys.length === 0) continue;
    const key = keys[m.index % keys.length] as string;
    if (m.kind === "delete") delete out[key];
    else if (m.kind === "replace") out[key] = m.value;
    else {
      // Edit inside a nested member: an element of a list or a key of a map.
      const inner = out[key];
      if (Array.isArray(inner) && inner.length > 0) inner[m.index % inner.length] = m.value;
      else if (typeof inner === "object" && inner !== null)
        (inner as Record<string, unknown>)[m.key] = m.value;
      else out[key] = { [m.key]: m.value };
    }
  }
  return out;
}

// ---- the test ----------------------------------------------------------------------------------

describe("fuzz: every action, random and mutated bodies, over HTTP", () => {
  let running: TestServer | undefined;
  let ids: Ids;
  const counts: Record<Outcome | "timeout", number> = {
    ok: 0,
    clientError: 0,
    serverError: 0,
    bad: 0,
    timeout: 0,
  };
  const byType: Record<string, number> = {};
  const failures: string[] = [];

  beforeAll(async () => {
    running = await startTestServer({ logger: silentLogger, outbox: false });
    const { cognito } = running;
    const {
      CreateUserPoolCommand,
      CreateUserPoolClientCommand,
      AdminCreateUserCommand,
      AdminSetUserPasswordCommand,
    } = await import("@aws-sdk/client-cognito-identity-provider");
    const pool = await cognito.send(new CreateUserPoolCommand({ PoolName: "fuzz-pool" }));
    const userPoolId = pool.UserPool?.Id as string;
    const client = await cognito.send(
      new CreateUserPoolClientCommand({
        UserPoolId: userPoolId,
        ClientName: "fuzz-client",
        ExplicitAuthFlows: [
          "ALLOW_USER_PASSWORD_AUTH",
          "ALLOW_ADMIN_USER_PASSWORD_AUTH",
          "ALLOW_REFRESH_TOKEN_AUTH",
        ],
      }),
    );
    const secret = await cognito.send(
      new CreateUserPoolClientCommand({
        UserPoolId: userPoolId,
        ClientName: "fuzz-secret",
        GenerateSecret: true,
      }),
    );
    await cognito.send(
      new AdminCreateUserCommand({ UserPoolId: userPoolId, Username: "known", MessageAction: "SUPPRESS" }),
    );
    await cognito.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: userPoolId,
        Username: "known",
        Password: "Passw0rd!",
        Permanent: true,
      }),
    );
    ids = {
      userPoolId,
      clientId: client.UserPoolClient?.ClientId as string,
      secretClientId: secret.UserPoolClient?.ClientId as string,
    };
  });

  afterAll(async () => {
    running?.cognito.destroy();
    await running?.server.close();
  });

  async function check(action: string, body: string): Promise<void> {
    const server = running as TestServer;
    let reply: Reply;
    try {
      reply = await post(server.url, action, body);
    } catch (error) {
      counts.timeout++;
      failures.push(`${action}: no reply (${(error as Error).name}) for ${body.slice(0, 200)}`);
      throw error;
    }
    const { outcome, why } = classify(reply);
    counts[outcome]++;
    if (outcome !== "ok") {
      const type = (JSON.parse(reply.text) as { __type?: string }).__type ?? "?";
      byType[type] = (byType[type] ?? 0) + 1;
    }
    if (outcome === "bad" || outcome === "serverError") {
      failures.push(`${action} -> ${reply.status} ${why} for ${body.slice(0, 300)}`);
      throw new Error(`${action} -> ${reply.status} ${why}`);
    }
  }

  it("answers random bodies for every action with a result or a Cognito error", async () => {
    const property = fc.asyncProperty(
      fc.constantFrom(...ACTION_NAMES),
      fc.oneof({ weight: 5, arbitrary: randomBody }, { weight: 1, arbitrary: rawBody }),
      fc.boolean(),
      async (action, body, withIds) => {
        // Half the objects carry the real pool and client ids, so they get past the lookups.
        let sent = body;
        if (withIds) {
          let parsed: unknown;
          try {
            parsed = JSON.parse(body);
          } catch {
            parsed = undefined;
          }
          if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed))
            sent = JSON.stringify({ UserPoolId: ids.userPoolId, ClientId: ids.clientId, ...parsed });
        }
        await check(action, sent);
      },
    );
    const started = Date.now();
    try {
      await fc.assert(property, { seed: SEED, numRuns: RANDOM_RUNS, endOnFailure: true });
    } finally {
      console.log(
        JSON.stringify({
          test: "fuzz-server random",
          seed: SEED,
          actions: ACTION_NAMES.length,
          runs: RANDOM_RUNS,
          ...counts,
          ms: Date.now() - started,
          failures: failures.slice(0, 5),
        }),
      );
    }
    expect(counts.bad + counts.serverError + counts.timeout).toBe(0);
  });

  it("answers mutated valid bodies of key actions with a result or a Cognito error", async () => {
    const bases = validBodies(ids);
    const before = { ...counts };
    const property = fc.asyncProperty(
      fc.nat({ max: bases.length - 1 }),
      fc.array(mutation, { minLength: 1, maxLength: 4 }),
      async (index, mutations) => {
        const base = bases[index] as { action: string; body: Record<string, unknown> };
        await check(base.action, JSON.stringify(mutate(base.body, mutations)));
      },
    );
    const started = Date.now();
    try {
      await fc.assert(property, { seed: SEED + 1, numRuns: MUTATED_RUNS, endOnFailure: true });
    } finally {
      const delta = Object.fromEntries(
        Object.entries(counts).map(([k, v]) => [k, v - (before[k as keyof typeof before] ?? 0)]),
      );
      console.log(
        JSON.stringify({
          test: "fuzz-server mutated",
          seed: SEED + 1,
          bases: bases.map((b) => b.action),
          runs: MUTATED_RUNS,
          ...delta,
          ms: Date.now() - started,
          failures: failures.slice(0, 5),
        }),
      );
    }
    expect(counts.bad + counts.serverError + counts.timeout).toBe(0);
  });

  it("is still healthy after the fuzzing", async () => {
    const server = running as TestServer;
    const health = await fetch(`${server.url}/health`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    expect(health.status).toBe(200);
    // And a real sign-in still works end to end, on a pool the fuzzing never saw (it may have
    // legitimately disabled the shared user or changed the shared client's flows).
    const { cognito } = server;
    const {
      CreateUserPoolCommand,
      CreateUserPoolClientCommand,
      AdminCreateUserCommand,
      AdminSetUserPasswordCommand,
    } = await import("@aws-sdk/client-cognito-identity-provider");
    const pool = await cognito.send(new CreateUserPoolCommand({ PoolName: "after-fuzz" }));
    const UserPoolId = pool.UserPool?.Id as string;
    const client = await cognito.send(
      new CreateUserPoolClientCommand({
        UserPoolId,
        ClientName: "after",
        ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
      }),
    );
    await cognito.send(
      new AdminCreateUserCommand({ UserPoolId, Username: "after", MessageAction: "SUPPRESS" }),
    );
    await cognito.send(
      new AdminSetUserPasswordCommand({
        UserPoolId,
        Username: "after",
        Password: "Passw0rd!",
        Permanent: true,
      }),
    );
    const reply = await post(
      server.url,
      "InitiateAuth",
      JSON.stringify({
        ClientId: client.UserPoolClient?.ClientId,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: "after", PASSWORD: "Passw0rd!" },
      }),
    );
    console.log(
      JSON.stringify({
        test: "fuzz-server totals",
        seed: SEED,
        ...counts,
        errorTypes: byType,
        health: health.status,
        signIn: reply.status,
      }),
    );
    expect(reply.status, reply.text).toBe(200);
    expect(JSON.parse(reply.text).AuthenticationResult.AccessToken).toBeTypeOf("string");
  });
});
