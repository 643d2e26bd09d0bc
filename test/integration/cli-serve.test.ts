// `cognito-triggers serve` and `outbox` as processes: start on a free port, persist to SQLite, stop on SIGTERM.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import {
  AdminCreateUserCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..");
const BIN = join(ROOT, "dist", "cli", "bin.js");
const run = promisify(execFile);

let data: string;
beforeAll(async () => {
  data = await mkdtemp(join(tmpdir(), "ct-serve-"));
});
afterAll(async () => {
  await rm(data, { recursive: true, force: true });
});

interface Serving {
  child: ChildProcess;
  url: string;
  output: () => string;
}

/** Starts `serve --port 0` and resolves once it prints the URL it listens on. */
function serve(args: string[]): Promise<Serving> {
  const child = spawn(process.execPath, [BIN, "serve", "--port", "0", ...args], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  return new Promise((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = out.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (match?.[1]) resolve({ child, url: match[1], output: () => out });
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.once("exit", (code) => reject(new Error(`serve exited with ${code}: ${out}`)));
  });
}

function stop(serving: Serving): Promise<number | null> {
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

describe("cognito-triggers serve (process)", () => {
  it("persists pools and users across a restart and stops cleanly on SIGTERM", async () => {
    const first = await serve(["--data", data, "--log-level", "info"]);
    const health = await fetch(`${first.url}/health`);
    expect(await health.json()).toEqual({ status: "ok" });
    const sdk = client(first.url);
    const { UserPool } = await sdk.send(new CreateUserPoolCommand({ PoolName: "persisted" }));
    const poolId = UserPool?.Id as string;
    await sdk.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: "dave",
        TemporaryPassword: "Temp0rary!",
        UserAttributes: [{ Name: "email", Value: "dave@example.com" }],
        DesiredDeliveryMediums: ["EMAIL"],
      }),
    );
    sdk.destroy();
    expect(await stop(first)).toBe(0);
    expect(first.output()).toContain("shutting down");
    // One log line per request: action, status, duration.
    expect(first.output()).toMatch(/request action=CreateUserPool status=200 ms=[\d.]+/);

    const second = await serve(["--data", data]);
    const again = client(second.url);
    const described = await again.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
    expect(described.UserPool?.Name).toBe("persisted");
    expect(described.UserPool?.EstimatedNumberOfUsers).toBe(1);
    again.destroy();
    expect(await stop(second)).toBe(0);

    // The outbox command reads the same data directory: the invitation with the temporary password.
    const { stdout } = await run(process.execPath, [
      BIN,
      "outbox",
      "--data",
      data,
      "--pool",
      poolId,
      "--user",
      "dave@example.com",
      "--json",
    ]);
    const { messages } = JSON.parse(stdout) as {
      messages: { username: string; code: string; reason: string; medium: string }[];
    };
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({
      username: "dave",
      code: "Temp0rary!",
      reason: "AdminCreateUser",
      medium: "EMAIL",
    });
  });

  it("runs a serverless.yml's handlers as triggers (--functions) and keeps their logs", async () => {
    const service = join(data, "service");
    await mkdir(join(service, "src"), { recursive: true });
    await writeFile(
      join(service, "serverless.yml"),
      "service: local-triggers\nprovider:\n  name: aws\n  runtime: nodejs22.x\n  environment:\n    CONFIRM_DOMAIN: example.com\nfunctions:\n  preSignUp:\n    handler: src/pre-sign-up.handler\n    events:\n      - cognitoUserPool:\n          pool: Users\n          trigger: PreSignUp\n",
    );
    await writeFile(
      join(service, "src", "pre-sign-up.ts"),
      [
        'import type { PreSignUpTriggerEvent } from "aws-lambda";',
        "export const handler = async (event: PreSignUpTriggerEvent) => {",
        '  const domain: string = process.env.CONFIRM_DOMAIN ?? "";',
        "  console.log(`pre sign-up for ${event.userName}`);",
        '  event.response.autoConfirmUser = (event.request.userAttributes.email ?? "").endsWith(`@${domain}`);',
        "  return event;",
        "};",
        "",
      ].join("\n"),
    );
    const serving = await serve(["--memory", "--functions", join(service, "serverless.yml")]);
    expect(serving.output()).toContain(
      "function local-triggers-dev-preSignUp (arn:aws:lambda:us-east-1:000000000000:function:local-triggers-dev-preSignUp)",
    );
    const sdk = client(serving.url);
    const { UserPool } = await sdk.send(
      new CreateUserPoolCommand({
        PoolName: "Users",
        LambdaConfig: {
          PreSignUp: "arn:aws:lambda:us-east-1:000000000000:function:local-triggers-dev-preSignUp",
        },
      }),
    );
    const { UserPoolClient } = await sdk.send(
      new CreateUserPoolClientCommand({ UserPoolId: UserPool?.Id as string, ClientName: "web" }),
    );
    const signUp = (username: string, email: string) =>
      sdk.send(
        new SignUpCommand({
          ClientId: UserPoolClient?.ClientId as string,
          Username: username,
          Password: "Passw0rd!",
          UserAttributes: [{ Name: "email", Value: email }],
        }),
      );
    expect((await signUp("erin", "erin@example.com")).UserConfirmed).toBe(true);
    expect((await signUp("fred", "fred@other.org")).UserConfirmed).toBe(false);
    sdk.destroy();

    const logs = await run(process.execPath, [
      BIN,
      "logs",
      "local-triggers-dev-preSignUp",
      "--url",
      serving.url,
      "--since",
      "1d",
    ]);
    expect(logs.stdout).toContain("pre sign-up for erin");
    expect(logs.stdout).toMatch(/START RequestId: [0-9a-f-]{36} Version: \$LATEST/);
    expect(logs.stdout).toMatch(/REPORT RequestId: [0-9a-f-]{36}\tDuration: /);
    expect(await stop(serving)).toBe(0);
  });

  it("rejects bad options with exit 2", async () => {
    const failure = await run(process.execPath, [BIN, "serve", "--port", "nope"]).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect((failure as { code: number }).code).toBe(2);
    expect((failure as { stderr: string }).stderr).toContain("--port must be a port number");
  });
});
