// Crash safety: concurrent clients write while the built `serve` is SIGKILLed and restarted on the same
// SQLite data dir, several times; every acknowledged change survives and nothing half-written is left.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AdminConfirmSignUpCommand,
  AdminGetUserCommand,
  AdminUpdateUserAttributesCommand,
  type AttributeType,
  type CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
  ListUsersCommand,
  ResendConfirmationCodeCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, describe, expect, it } from "vitest";
import { type ServeProcess, startServe, stopAllServe } from "./helpers-crash.js";

const WORKERS = 16;
const ROUNDS = 3;
/** Operations acknowledged in one round before the SIGKILL (the other workers still have requests in flight). */
const OPS_PER_ROUND = 300;
const PASSWORD = "Crash-Passw0rd!";

type Step = "signUp" | "confirm" | "verify" | "move";

/** What the clients did to one user: acknowledged (HTTP 200) values and the one request that may be in flight. */
interface Tracked {
  username: string;
  emails: [string, string];
  sub?: string;
  acked: Set<Step>;
  /** The step sent but never answered (the server was killed); its effect may or may not be there. */
  inFlight?: Step;
  /** given_name values: the last acknowledged and, if in flight, the one being written. */
  givenAcked?: string;
  givenInFlight?: string;
}

const dataDir = mkdtempSync(join(tmpdir(), "crash-data-"));
afterAll(async () => {
  await stopAllServe();
  rmSync(dataDir, { recursive: true, force: true });
});

function attr(list: AttributeType[] | undefined, name: string): string | undefined {
  return list?.find((a) => a.Name === name)?.Value;
}

async function start(): Promise<ServeProcess> {
  const serve = await startServe(["--port", "0", "--data", dataDir, "--log-level", "error"]);
  // Cleanly: nothing on stderr at level error, and health answers.
  const health = await fetch(`${serve.url}/health`);
  expect(health.status).toBe(200);
  expect(serve.stderr()).toBe("");
  return serve;
}

/** One round: WORKERS clients write until OPS_PER_ROUND acknowledgements, then the server is SIGKILLed. */
async function round(
  serve: ServeProcess,
  poolId: string,
  clientId: string,
  roundNo: number,
  users: Tracked[],
): Promise<{ acked: number; inFlight: number; unexpected: string[] }> {
  const cognito: CognitoIdentityProviderClient = serve.cognito;
  let acked = 0;
  let killed = false;
  const unexpected: string[] = [];
  let killing: Promise<void> | undefined;

  const ack = (user: Tracked, step: Step) => {
    user.acked.add(step);
    user.inFlight = undefined;
    acked += 1;
    if (acked >= OPS_PER_ROUND && !killed) {
      killed = true;
      killing = serve.kill();
    }
  };

  const worker = async (w: number) => {
    for (let n = 0; !killed; n += 1) {
      const username = `r${roundNo}w${w}n${n}`;
      const user: Tracked = {
        username,
        emails: [`${username}@a.example.com`, `${username}@b.example.com`],
        acked: new Set(),
      };
      users.push(user);
      const steps: Array<[Step, () => Promise<unknown>]> = [
        [
          "signUp",
          async () => {
            const out = await cognito.send(
              new SignUpCommand({
                ClientId: clientId,
                Username: username,
                Password: PASSWORD,
                UserAttributes: [{ Name: "email", Value: user.emails[0] }],
              }),
            );
            user.sub = out.UserSub;
          },
        ],
        [
          "confirm",
          () => cognito.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: username })),
        ],
        [
          "verify",
          () =>
            cognito.send(
              new AdminUpdateUserAttributesCommand({
                UserPoolId: poolId,
                Username: username,
                UserAttributes: [
                  { Name: "given_name", Value: "first" },
                  { Name: "email_verified", Value: "true" },
                ],
              }),
            ),
        ],
        [
          "move",
          () =>
            cognito.send(
              new AdminUpdateUserAttributesCommand({
                UserPoolId: poolId,
                Username: username,
                UserAttributes: [
                  { Name: "given_name", Value: "second" },
                  { Name: "email", Value: user.emails[1] },
                  { Name: "email_verified", Value: "true" },
                ],
              }),
            ),
        ],
      ];
      for (const [step, call] of steps) {
        if (killed) return;
        user.inFlight = step;
        if (step === "verify") user.givenInFlight = "first";
        if (step === "move") user.givenInFlight = "second";
        try {
          await call();
        } catch (error) {
          // After the kill, refused or reset connections are expected; before it, nothing may fail.
          if (!killed)
            unexpected.push(`${username} ${step}: ${(error as Error).name}: ${(error as Error).message}`);
          return;
        }
        if (user.givenInFlight) {
          user.givenAcked = user.givenInFlight;
          user.givenInFlight = undefined;
        }
        ack(user, step);
      }
    }
  };

  await Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w)));
  if (!killed) {
    killed = true;
    killing = serve.kill();
  }
  await killing;
  const inFlight = users.filter((u) => u.username.startsWith(`r${roundNo}w`) && u.inFlight).length;
  return { acked, inFlight, unexpected };
}

async function userOrUndefined(cognito: CognitoIdentityProviderClient, poolId: string, name: string) {
  try {
    return await cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: name }));
  } catch (error) {
    if ((error as Error).name === "UserNotFoundException") return undefined;
    throw error;
  }
}

describe("crash safety: SIGKILL mid-load on the SQLite data dir", () => {
  it("keeps every acknowledged change and nothing half-written across 3 kill/restart cycles", async () => {
    const users: Tracked[] = [];
    let serve = await start();
    const pool = await serve.cognito.send(
      new CreateUserPoolCommand({
        PoolName: "crash",
        AliasAttributes: ["email"],
        AutoVerifiedAttributes: ["email"],
      }),
    );
    const poolId = pool.UserPool?.Id as string;
    const client = await serve.cognito.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: "crash",
        ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
      }),
    );
    const clientId = client.UserPoolClient?.ClientId as string;

    const rounds: Array<{ acked: number; inFlight: number }> = [];
    for (let r = 0; r < ROUNDS; r += 1) {
      const result = await round(serve, poolId, clientId, r, users);
      expect(result.unexpected).toEqual([]);
      rounds.push({ acked: result.acked, inFlight: result.inFlight });
      // Restarts cleanly on whatever the killed process left (WAL and all).
      serve = await start();
    }

    const cognito = serve.cognito;
    const problems: string[] = [];
    let present = 0;
    let absentUnacked = 0;
    let aliasChecks = 0;
    let logins = 0;
    for (const user of users) {
      const got = await userOrUndefined(cognito, poolId, user.username);
      if (!got) {
        if (user.acked.has("signUp")) problems.push(`${user.username}: acknowledged SignUp lost`);
        else absentUnacked += 1;
        continue;
      }
      present += 1;
      const attrs = got.UserAttributes;
      const email = attr(attrs, "email");
      const verified = attr(attrs, "email_verified") === "true";
      const given = attr(attrs, "given_name");
      const sub = attr(attrs, "sub");
      if (user.sub && sub !== user.sub)
        problems.push(`${user.username}: sub ${sub} != acknowledged ${user.sub}`);
      if (user.acked.has("confirm") && got.UserStatus !== "CONFIRMED")
        problems.push(`${user.username}: confirm acknowledged but status ${got.UserStatus}`);
      if (!user.acked.has("confirm") && user.inFlight !== "confirm" && got.UserStatus !== "UNCONFIRMED")
        problems.push(`${user.username}: never confirmed but status ${got.UserStatus}`);
      // given_name: the acknowledged value, or the in-flight one.
      const allowedGiven = new Set([user.givenAcked, user.givenInFlight]);
      if (!allowedGiven.has(given))
        problems.push(`${user.username}: given_name ${given} not in ${[...allowedGiven].join("/")}`);
      // email: the second address only once "move" was acknowledged (or in flight), never a mix.
      const moved = user.acked.has("move");
      const allowedEmails = moved
        ? [user.emails[1]]
        : user.inFlight === "move"
          ? user.emails
          : [user.emails[0]];
      if (!allowedEmails.includes(email as string))
        problems.push(`${user.username}: email ${email} not in ${allowedEmails.join("/")}`);
      if ((user.acked.has("verify") || moved) && !verified)
        problems.push(`${user.username}: email_verified acknowledged but ${attr(attrs, "email_verified")}`);
      // The email write and the given_name write of one call land together.
      if (email === user.emails[1] && given !== "second")
        problems.push(`${user.username}: moved email without its given_name (${given})`);
      if (verified && given === undefined)
        problems.push(`${user.username}: email_verified without its given_name`);
      // Aliases: a verified email finds exactly this user, by AdminGetUser and by ListUsers; others find no one.
      for (const candidate of user.emails) {
        const byAlias = await userOrUndefined(cognito, poolId, candidate);
        aliasChecks += 1;
        const shouldFind = verified && candidate === email;
        if (shouldFind && byAlias?.Username !== user.username)
          problems.push(`${user.username}: alias ${candidate} finds ${byAlias?.Username ?? "no one"}`);
        if (!shouldFind && byAlias)
          problems.push(`${user.username}: stale alias ${candidate} still finds ${byAlias.Username}`);
      }
      const listed = await cognito.send(
        new ListUsersCommand({ UserPoolId: poolId, Filter: `email = "${email}"` }),
      );
      if (listed.Users?.length !== 1 || listed.Users[0]?.Username !== user.username)
        problems.push(
          `${user.username}: ListUsers email = ${email} gives ${listed.Users?.map((u) => u.Username)}`,
        );
      // A confirmed user with a verified email signs in with it (alias, password hash and status all there).
      if (verified && got.UserStatus === "CONFIRMED" && logins < 40) {
        const auth = await cognito.send(
          new InitiateAuthCommand({
            ClientId: clientId,
            AuthFlow: "USER_PASSWORD_AUTH",
            AuthParameters: { USERNAME: email as string, PASSWORD: PASSWORD },
          }),
        );
        if (!auth.AuthenticationResult?.IdToken)
          problems.push(`${user.username}: alias sign-in gave no tokens`);
        logins += 1;
      }
    }

    // No code without its user, no signed-up user without its code: the outbox and the users agree.
    const outbox = (await (await fetch(`${serve.url}/_local/outbox?userPoolId=${poolId}`)).json()) as {
      messages: Array<{ username: string; sub: string; reason: string; code?: string }>;
    };
    const signUpMessages = outbox.messages.filter((m) => m.reason === "SignUp");
    const byName = new Map(users.map((u) => [u.username, u]));
    const existing = new Set<string>();
    for (const user of users)
      if (await userOrUndefined(cognito, poolId, user.username)) existing.add(user.username);
    for (const message of signUpMessages) {
      if (!existing.has(message.username)) problems.push(`outbox: code for missing user ${message.username}`);
      const tracked = byName.get(message.username);
      if (tracked?.sub && tracked.sub !== message.sub)
        problems.push(`outbox: ${message.username} has another sub`);
    }
    // The message is written after the user's transaction commits (delivery may run CustomMessage), so a
    // kill in between leaves an unacknowledged sign-up without its message: it must be recoverable with
    // ResendConfirmationCode. An acknowledged SignUp always has its message.
    const withCode = new Set(signUpMessages.map((m) => m.username));
    let resent = 0;
    for (const name of existing) {
      if (withCode.has(name)) continue;
      if (byName.get(name)?.acked.has("signUp")) {
        problems.push(`outbox: acknowledged SignUp of ${name} has no code`);
        continue;
      }
      const again = await cognito.send(
        new ResendConfirmationCodeCommand({ ClientId: clientId, Username: name }),
      );
      if (!again.CodeDeliveryDetails)
        problems.push(`outbox: ResendConfirmationCode for ${name} sent nothing`);
      resent += 1;
    }

    const ackedOps = users.reduce((sum, u) => sum + u.acked.size, 0);
    console.log(
      JSON.stringify({
        test: "crash",
        workers: WORKERS,
        rounds,
        users: users.length,
        present,
        absentUnacked,
        ackedOps,
        inFlightAtKill: users.filter((u) => u.inFlight).length,
        aliasChecks,
        aliasLogins: logins,
        outboxSignUpCodes: signUpMessages.length,
        unackedWithoutCodeResent: resent,
        problems: problems.length,
      }),
    );
    expect(problems.slice(0, 20)).toEqual([]);
    expect(present).toBeGreaterThanOrEqual(ROUNDS * 20);
    await serve.kill();
  });
});
