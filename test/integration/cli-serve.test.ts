// `cognito-triggers serve` and `outbox` as processes: start on a free port, persist to SQLite, stop on SIGTERM.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import {
  AdminCreateUserCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolCommand,
  DescribeUserPoolCommand,
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

  it("rejects bad options with exit 2", async () => {
    const failure = await run(process.execPath, [BIN, "serve", "--port", "nope"]).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect((failure as { code: number }).code).toBe(2);
    expect((failure as { stderr: string }).stderr).toContain("--port must be a port number");
  });
});
