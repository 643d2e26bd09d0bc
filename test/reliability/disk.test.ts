// Disk faults for the built `serve`: an unusable, read-only or corrupted SQLite data dir gives a clear
// one-line error and a non-zero exit (no stack trace), leaves the files as they were, and a corrupted data
// page costs only the requests that touch it. Disk full is not simulated (it needs a root-only mount).
import { createHash } from "node:crypto";
import {
  chmodSync,
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AdminCreateUserCommand, CreateUserPoolCommand } from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, describe, expect, it } from "vitest";
import { SQLITE_FILE } from "../../src/store/index.js";
import { hasStackTrace, runServeExpectingExit, startServe, stopAllServe } from "./helpers-crash.js";

const root = mkdtempSync(join(tmpdir(), "disk-faults-"));
// Readable by the unprivileged user the read-only case runs as when this process is root.
chmodSync(root, 0o755);
afterAll(async () => {
  await stopAllServe();
  rmSync(root, { recursive: true, force: true });
});

let dirs = 0;
function freshDir(): string {
  dirs += 1;
  const dir = join(root, `d${dirs}`);
  mkdirSync(dir);
  return dir;
}

const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
/** nobody/nogroup: as root, chmod does not stop writes, so the read-only cases run the server as this user. */
const UNPRIVILEGED = isRoot ? { uid: 65534, gid: 65534 } : {};

function sha(path: string): string {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

function serveArgs(dataDir: string): string[] {
  return ["--port", "0", "--data", dataDir, "--log-level", "error"];
}

/** The failure is one `error:` line (no stack trace) and a non-zero exit, not a hang or a signal. */
function expectCleanFailure(
  result: Awaited<ReturnType<typeof runServeExpectingExit>>,
  mentions: RegExp,
): void {
  expect(result.signal).toBeNull();
  expect(result.code).not.toBe(0);
  expect(result.code).not.toBeNull();
  expect(result.stdout).not.toMatch(/listening on/);
  expect(hasStackTrace(result.stderr)).toBe(false);
  const lines = result.stderr.trim().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^error: /);
  expect(lines[0]).toMatch(mentions);
}

/** A data dir with a pool and `users` users in it, shut down cleanly so everything is in the main file. */
async function populatedDir(users: number): Promise<{ dir: string; poolId: string }> {
  const dir = freshDir();
  const serve = await startServe(serveArgs(dir));
  try {
    const pool = await serve.cognito.send(new CreateUserPoolCommand({ PoolName: "disk" }));
    const poolId = pool.UserPool?.Id as string;
    for (let i = 0; i < users; i += 1) {
      await serve.cognito.send(
        new AdminCreateUserCommand({
          UserPoolId: poolId,
          Username: `user${i}`,
          UserAttributes: [{ Name: "email", Value: `user${i}@example.com` }],
          MessageAction: "SUPPRESS",
        }),
      );
    }
    await serve.stop();
    return { dir, poolId };
  } finally {
    await serve.kill();
  }
}

describe("disk faults: the data dir", () => {
  it("is a regular file: a one-line error naming it, exit 1, the file untouched", async () => {
    const path = join(root, "not-a-dir");
    writeFileSync(path, "precious\n");
    const result = await runServeExpectingExit(serveArgs(path));
    console.log(
      JSON.stringify({ test: "disk/data-dir-is-file", code: result.code, stderr: result.stderr.trim() }),
    );
    expectCleanFailure(result, /not-a-dir/);
    expect(readFileSync(path, "utf8")).toBe("precious\n");

    const under = await runServeExpectingExit(serveArgs(join(path, "sub")));
    expectCleanFailure(under, /not-a-dir/);
    expect(readFileSync(path, "utf8")).toBe("precious\n");
  });

  it("is read-only (fresh): a one-line error, exit 1, nothing created", async () => {
    const dir = freshDir();
    chmodSync(dir, 0o555);
    const result = await runServeExpectingExit(serveArgs(dir), UNPRIVILEGED);
    console.log(
      JSON.stringify({
        test: "disk/read-only-fresh",
        asRoot: isRoot,
        code: result.code,
        stderr: result.stderr.trim(),
      }),
    );
    expectCleanFailure(result, /cannot start the server/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("is read-only with a database in it: a one-line error, exit 1, the database byte for byte unchanged", async () => {
    const { dir } = await populatedDir(5);
    const file = join(dir, SQLITE_FILE);
    const before = sha(file);
    const entries = readdirSync(dir).sort();
    for (const entry of entries)
      chmodSync(join(dir, entry), statSync(join(dir, entry)).isDirectory() ? 0o555 : 0o444);
    chmodSync(dir, 0o555);
    const result = await runServeExpectingExit(serveArgs(dir), UNPRIVILEGED);
    console.log(
      JSON.stringify({
        test: "disk/read-only-db",
        asRoot: isRoot,
        code: result.code,
        stderr: result.stderr.trim(),
      }),
    );
    expectCleanFailure(result, /cannot start the server/);
    expect(sha(file)).toBe(before);
    expect(readdirSync(dir).sort()).toEqual(entries);
  });

  it("holds garbage instead of a SQLite file: a one-line error, exit 1, the file untouched", async () => {
    const cases: Record<string, Buffer> = {
      random: Buffer.from(Array.from({ length: 20_000 }, (_, i) => (i * 7919 + 13) % 256)),
      "sqlite-header-then-garbage": Buffer.concat([
        Buffer.from("SQLite format 3\0"),
        Buffer.from(Array.from({ length: 8192 }, (_, i) => (i * 31 + 7) % 256)),
      ]),
      text: Buffer.from("this is not a database\n".repeat(300)),
    };
    const figures: Record<string, string> = {};
    for (const [name, bytes] of Object.entries(cases)) {
      const dir = freshDir();
      const file = join(dir, SQLITE_FILE);
      writeFileSync(file, bytes);
      const result = await runServeExpectingExit(serveArgs(dir));
      figures[name] = `${result.code}: ${result.stderr.trim()}`;
      expectCleanFailure(result, /not a database|malformed|corrupt/i);
      expect(readFileSync(file).equals(bytes)).toBe(true);
    }
    console.log(JSON.stringify({ test: "disk/garbage-db", results: figures }));
  });

  // SQLite's own open errors ("file is not a database") do not say which file; openStore adds the path, so a
  // user who relied on the default --data (.cognito-triggers/) is told which file is at fault.
  it("names the database file when SQLite cannot open it", async () => {
    const dir = freshDir();
    writeFileSync(join(dir, SQLITE_FILE), "this is not a database\n".repeat(300));
    const result = await runServeExpectingExit(serveArgs(dir));
    console.log(JSON.stringify({ test: "disk/error-names-file", stderr: result.stderr.trim() }));
    expectCleanFailure(result, /not a database/);
    expect(result.stderr).toContain(join(dir, SQLITE_FILE));
  });

  it("has a corrupted data page: only requests touching it fail, with Cognito's opaque error; the server stays up", async () => {
    const USERS = 200;
    const { dir, poolId } = await populatedDir(USERS);
    const file = join(dir, SQLITE_FILE);
    const size = statSync(file).size;
    expect(readdirSync(dir)).not.toContain(`${SQLITE_FILE}-wal`);
    // Overwrite most of one leaf page near the end (user rows), keeping page 1 (the schema) intact.
    const pageSize = 4096;
    const page = Math.max(2, Math.floor(size / pageSize) - 20);
    const fd = openSync(file, "r+");
    try {
      writeSync(fd, Buffer.alloc(3000, 0xff), 0, 3000, page * pageSize + 50);
    } finally {
      closeSync(fd);
    }

    const started = await startServe(serveArgs(dir)).catch((error: Error) => error);
    if (started instanceof Error) {
      // Detected at start: acceptable only as the one-line error, checked like the others.
      const result = await runServeExpectingExit(serveArgs(dir));
      console.log(
        JSON.stringify({ test: "disk/corrupt-page", detectedAtStart: true, stderr: result.stderr.trim() }),
      );
      expectCleanFailure(result, /malformed|corrupt|not a database/i);
      return;
    }
    const serve = started;
    try {
      const call = async (target: string, body: unknown) => {
        const res = await fetch(serve.url, {
          method: "POST",
          headers: {
            "content-type": "application/x-amz-json-1.1",
            "x-amz-target": `AWSCognitoIdentityProviderService.${target}`,
          },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(10_000),
        });
        return { status: res.status, text: await res.text() };
      };
      const counts: Record<string, number> = {};
      const leaks: string[] = [];
      const bodies = [
        ...Array.from(
          { length: USERS },
          (_, i) => ["AdminGetUser", { UserPoolId: poolId, Username: `user${i}` }] as const,
        ),
        ["ListUsers", { UserPoolId: poolId, Limit: 60 }] as const,
        [
          "AdminCreateUser",
          { UserPoolId: poolId, Username: "after-corruption", MessageAction: "SUPPRESS" },
        ] as const,
      ];
      for (const [target, body] of bodies) {
        const { status, text } = await call(target, body);
        const parsed = JSON.parse(text) as { __type?: string; message?: string };
        const key = status === 200 ? "200" : `${status} ${parsed.__type}`;
        counts[key] = (counts[key] ?? 0) + 1;
        if (status !== 200) {
          // Cognito's opaque internal error, never SQLite's words or a stack.
          expect(status).toBe(500);
          expect(parsed.__type).toBe("InternalErrorException");
          if (/sqlite|malformed|\bat .+:\d+/i.test(text)) leaks.push(text);
        }
      }
      const health = await fetch(`${serve.url}/health`);
      console.log(
        JSON.stringify({
          test: "disk/corrupt-page",
          detectedAtStart: false,
          page,
          counts,
          leaks: leaks.length,
        }),
      );
      expect(leaks).toEqual([]);
      expect(health.status).toBe(200);
      expect(serve.child.exitCode).toBeNull();
      // The log says what happened.
      if (counts["500 InternalErrorException"]) expect(serve.stderr()).toMatch(/malformed|corrupt/i);
    } finally {
      await serve.kill();
    }
  });
});
