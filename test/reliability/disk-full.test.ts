// A data dir on a full disk (a 3 MiB tmpfs): writes fail with Cognito's opaque error, the server stays up,
// and the database stays intact with every acknowledged user in it.
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AdminCreateUserCommand, CreateUserPoolCommand } from "@aws-sdk/client-cognito-identity-provider";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { SQLITE_FILE } from "../../src/store/index.js";
import { hasStackTrace, startServe, stopAllServe } from "./helpers-crash.js";

/** Mounting a tmpfs needs root (as in CI); elsewhere the test is skipped with a note. */
function canMount(): boolean {
  if (process.getuid?.() !== 0) return false;
  const probe = mkdtempSync(join(tmpdir(), "ct-mount-probe-"));
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", probe], { stdio: "ignore" });
    execFileSync("umount", [probe], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}

const mountable = canMount();
const cleanups: (() => void)[] = [];
afterAll(async () => {
  await stopAllServe();
  for (const cleanup of cleanups.reverse()) cleanup();
});

describe.skipIf(!mountable)("a data dir on a full disk", () => {
  it("answers InternalErrorException without details, keeps serving, and loses no acknowledged user", async () => {
    const mountPoint = mkdtempSync(join(tmpdir(), "ct-disk-full-"));
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=3m", "tmpfs", mountPoint]);
    cleanups.push(() => {
      try {
        execFileSync("umount", ["-l", mountPoint]);
      } catch {}
      rmSync(mountPoint, { recursive: true, force: true });
    });
    const serve = await startServe([
      "--port",
      "0",
      "--data",
      mountPoint,
      "--log-level",
      "error",
      "--no-outbox",
    ]);
    const { UserPool } = await serve.cognito.send(new CreateUserPoolCommand({ PoolName: "full" }));
    const poolId = UserPool?.Id as string;

    const acknowledged: string[] = [];
    const failures = new Map<string, number>();
    const padding = "x".repeat(2000);
    for (let i = 0; i < 4000 && (failures.get("InternalErrorException") ?? 0) < 20; i++) {
      const username = `user${i}`;
      try {
        await serve.cognito.send(
          new AdminCreateUserCommand({
            UserPoolId: poolId,
            Username: username,
            MessageAction: "SUPPRESS",
            UserAttributes: [{ Name: "name", Value: padding }],
          }),
        );
        acknowledged.push(username);
      } catch (error) {
        const e = error as { name: string; message: string };
        failures.set(e.name, (failures.get(e.name) ?? 0) + 1);
        expect(e.name).toBe("InternalErrorException");
        expect(e.message).toBe("Internal server error.");
        expect(hasStackTrace(e.message)).toBe(false);
      }
    }
    const health = await fetch(`${serve.url}/health`);
    console.log(
      JSON.stringify({
        test: "disk/full",
        acknowledged: acknowledged.length,
        failures: Object.fromEntries(failures),
      }),
    );
    expect(failures.get("InternalErrorException")).toBeGreaterThan(0);
    expect(health.status).toBe(200);
    await serve.stop();

    // Copied to a disk with room: SQLite's own check passes and every acknowledged user is there.
    const copy = mkdtempSync(join(tmpdir(), "ct-disk-full-copy-"));
    cleanups.push(() => rmSync(copy, { recursive: true, force: true }));
    for (const suffix of ["", "-wal", "-shm"])
      if (existsSync(join(mountPoint, SQLITE_FILE + suffix)))
        copyFileSync(join(mountPoint, SQLITE_FILE + suffix), join(copy, SQLITE_FILE + suffix));
    const db = new Database(join(copy, SQLITE_FILE));
    try {
      expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
      const names = new Set(
        (
          db.prepare("SELECT username FROM users WHERE pool_id = ?").all(poolId) as { username: string }[]
        ).map((row) => row.username),
      );
      const missing = acknowledged.filter((name) => !names.has(name));
      expect(missing).toEqual([]);
    } finally {
      db.close();
    }
  });
});
