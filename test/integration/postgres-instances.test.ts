// Two `serve` processes on one PostgreSQL database behave as one Cognito: any request may land on either.
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import {
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  GetUserCommand,
  InitiateAuthCommand,
  ListUsersCommand,
  RespondToAuthChallengeCommand,
  RevokeTokenCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresAvailable, startPostgres, type TestPostgres } from "../helpers/postgres.js";
import { errorOf } from "../helpers/server.js";
import {
  createClient,
  createPool,
  decodePayload,
  PASSWORD,
  srpAnswer,
  srpStart,
} from "./cognito/auth-fixtures.js";

const ROOT = join(import.meta.dirname, "..", "..");
const BIN = join(ROOT, "dist", "cli", "bin.js");

interface Serving {
  child: ChildProcess;
  url: string;
  cognito: CognitoIdentityProviderClient;
  output: () => string;
}

/** `serve --port 0 --database-url …` as a process; resolves once it prints the URL it listens on. */
function serve(databaseUrl: string): Promise<Serving> {
  const child = spawn(
    process.execPath,
    [BIN, "serve", "--port", "0", "--database-url", databaseUrl, "--log-level", "warn"],
    // No DATABASE_URL from the shell: the flag alone must select PostgreSQL.
    { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, DATABASE_URL: "" } },
  );
  let out = "";
  return new Promise((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = out.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (match?.[1]) resolve({ child, url: match[1], cognito: client(match[1]), output: () => out });
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.once("exit", (code) => reject(new Error(`serve exited with ${code}: ${out}`)));
  });
}

function stop(serving: Serving): Promise<number | null> {
  serving.cognito.destroy();
  if (serving.child.exitCode !== null) return Promise.resolve(serving.child.exitCode);
  return new Promise((resolve) => {
    serving.child.once("exit", (code) => resolve(code));
    serving.child.kill("SIGTERM");
  });
}

const client = (url: string) =>
  new CognitoIdentityProviderClient({
    endpoint: url,
    region: "us-east-1",
    credentials: { accessKeyId: "AKIDLOCAL", secretAccessKey: "local-secret" },
    maxAttempts: 1,
  });

async function outboxCode(url: string, poolId: string, username: string): Promise<string> {
  const res = await fetch(`${url}/_local/outbox?userPoolId=${poolId}&username=${username}`);
  const { messages } = (await res.json()) as { messages: { code?: string; reason: string }[] };
  const code = messages.at(-1)?.code;
  if (!code) throw new Error(`no code in the outbox for ${username}: ${JSON.stringify(messages)}`);
  return code;
}

describe.skipIf(!postgresAvailable())("two serve processes on one PostgreSQL database", () => {
  let db: TestPostgres;
  let a: Serving;
  let b: Serving;

  beforeAll(async () => {
    db = await startPostgres();
    // Both start at once on an empty database: the migration lock lets exactly one create the schema.
    [a, b] = await Promise.all([serve(db.url), serve(db.url)]);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([a && stop(a), b && stop(b)]);
    await db?.stop();
  });

  it("signs up on one, confirms on the other, and signs in over SRP across both", async () => {
    const poolId = await createPool(a.cognito, { AutoVerifiedAttributes: ["email"] });
    const { clientId } = await createClient(b.cognito, poolId);

    await a.cognito.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: "carol",
        Password: PASSWORD,
        UserAttributes: [{ Name: "email", Value: "carol@example.com" }],
      }),
    );
    // The code A sent is in the shared outbox: B reads it and B accepts it.
    const code = await outboxCode(b.url, poolId, "carol");
    await b.cognito.send(
      new ConfirmSignUpCommand({ ClientId: clientId, Username: "carol", ConfirmationCode: code }),
    );
    const confirmed = await a.cognito.send(
      new AdminGetUserCommand({ UserPoolId: poolId, Username: "carol" }),
    );
    expect(confirmed.UserStatus).toBe("CONFIRMED");

    // SRP: the challenge from A (its SECRET_BLOCK carries A's server state), the proof to B.
    const start = srpStart();
    const challenge = await a.cognito.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "USER_SRP_AUTH",
        AuthParameters: { USERNAME: "carol", SRP_A: start.A },
      }),
    );
    expect(challenge.ChallengeName).toBe("PASSWORD_VERIFIER");
    const params = challenge.ChallengeParameters as Record<string, string>;
    const signedIn = await b.cognito.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: "PASSWORD_VERIFIER",
        Session: challenge.Session,
        ChallengeResponses: srpAnswer({ poolId, start, params, password: PASSWORD, now: Date.now() }),
      }),
    );
    const tokens = signedIn.AuthenticationResult;
    expect(tokens?.TokenType).toBe("Bearer");
    expect(decodePayload(tokens?.AccessToken as string).username).toBe("carol");

    // Tokens B signed are accepted by A (one set of signing keys), and B's refresh token works on A.
    const me = await a.cognito.send(new GetUserCommand({ AccessToken: tokens?.AccessToken }));
    expect(me.Username).toBe("carol");
    const refreshed = await a.cognito.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "REFRESH_TOKEN_AUTH",
        AuthParameters: { REFRESH_TOKEN: tokens?.RefreshToken as string },
      }),
    );
    expect(refreshed.AuthenticationResult?.AccessToken).toBeTruthy();

    // A revocation on one instance holds on the other.
    await a.cognito.send(new RevokeTokenCommand({ ClientId: clientId, Token: tokens?.RefreshToken }));
    const afterRevoke = await errorOf(
      b.cognito.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: "REFRESH_TOKEN_AUTH",
          AuthParameters: { REFRESH_TOKEN: tokens?.RefreshToken as string },
        }),
      ),
    );
    expect(afterRevoke.name).toBe("NotAuthorizedException");
  });

  it("lets exactly one of 20 concurrent sign-ups of one username across both instances win", async () => {
    const poolId = await createPool(a.cognito, { UsernameAttributes: ["email"] });
    const { clientId } = await createClient(a.cognito, poolId);
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 === 0 ? a : b).cognito.send(
          new SignUpCommand({ ClientId: clientId, Username: "race@example.com", Password: PASSWORD }),
        ),
      ),
    );
    const won = results.filter((r) => r.status === "fulfilled");
    const lost = results.flatMap((r) => (r.status === "rejected" ? [(r.reason as Error).name] : []));
    expect(won).toHaveLength(1);
    expect(lost).toEqual(Array.from({ length: 19 }, () => "UsernameExistsException"));
    for (const instance of [a, b]) {
      const { Users } = await instance.cognito.send(new ListUsersCommand({ UserPoolId: poolId }));
      expect(Users?.map((u) => u.Attributes?.find((x) => x.Name === "email")?.Value)).toEqual([
        "race@example.com",
      ]);
    }
    // Neither process logged a crash while racing.
    expect(a.output() + b.output()).not.toMatch(/Internal|unhandled/i);
  });
});
