// `cognito-triggers logs`: in process through main(argv, io), from a data directory and from a running server,
// following new events; and once as a real process.
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { logsCommand } from "../../src/cli/commands/logs.js";
import type { CliIo } from "../../src/cli/io.js";
import { main } from "../../src/cli/main.js";
import { storeLogSink } from "../../src/logs/sink.js";
import { createSqliteStore, SQLITE_FILE } from "../../src/store/sqlite.js";
import { useTestServer } from "../helpers/server.js";

const ROOT = join(import.meta.dirname, "..", "..");
const FN = "svc-dev-preSignUp";
const GROUP = `/aws/lambda/${FN}`;
const STREAM = "2026/01/15/[$LATEST]0123456789abcdef0123456789abcdef";
const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);

interface FakeIo extends CliIo {
  out: () => string;
  err: () => string;
}

function fakeIo(now: number, cwd = ROOT): FakeIo {
  let out = "";
  let err = "";
  return {
    stdout: (text) => {
      out += text;
    },
    stderr: (text) => {
      err += text;
    },
    cwd,
    env: {},
    clock: { now: () => now },
    out: () => out,
    err: () => err,
  };
}

/** Polls until `check` holds (the command's own poll interval is a few milliseconds). */
async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (check()) return;
    await new Promise((done) => setTimeout(done, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

let data: string;
beforeAll(async () => {
  data = await mkdtemp(join(tmpdir(), "ct-logs-cli-"));
  const store = createSqliteStore({ path: join(data, SQLITE_FILE) });
  try {
    await store.transaction(async (tx) => {
      await tx.appendLogEvents(GROUP, STREAM, [{ timestamp: T0 - 3_600_000, message: "an hour ago\n" }], T0);
      await tx.appendLogEvents(
        GROUP,
        STREAM,
        [
          { timestamp: T0 + 1, message: "START RequestId: r1 Version: $LATEST\n" },
          { timestamp: T0 + 2, message: "2026-01-15T12:00:00.002Z\tr1\tINFO\tsigning up alice\n" },
          { timestamp: T0 + 3, message: "END RequestId: r1\n" },
        ],
        T0 + 10,
      );
      await tx.appendLogEvents("/custom/group", "s", [{ timestamp: T0, message: "custom\n" }], T0);
    });
  } finally {
    await store.close();
  }
});
afterAll(async () => {
  await rm(data, { recursive: true, force: true });
});

describe("logs from a data directory", () => {
  it("prints the function's events of the last 10 minutes, oldest first", async () => {
    const io = fakeIo(T0 + 60_000);
    expect(await main(["logs", FN, "--data", data], io)).toBe(0);
    expect(io.out()).toBe(
      [
        `2026-01-15T12:00:00.001Z ${STREAM} START RequestId: r1 Version: $LATEST`,
        `2026-01-15T12:00:00.002Z ${STREAM} 2026-01-15T12:00:00.002Z\tr1\tINFO\tsigning up alice`,
        `2026-01-15T12:00:00.003Z ${STREAM} END RequestId: r1`,
        "",
      ].join("\n"),
    );
    expect(io.err()).toBe("");
  });

  it("goes further back with --since, and takes a function ARN or a group name", async () => {
    const io = fakeIo(T0 + 60_000);
    const arn = `arn:aws:lambda:us-east-1:000000000000:function:${FN}:$LATEST`;
    expect(await main(["logs", arn, "--data", data, "--since", "2h"], io)).toBe(0);
    expect(io.out().split("\n")[0]).toBe(`2026-01-15T11:00:00.000Z ${STREAM} an hour ago`);
    const custom = fakeIo(T0 + 60_000);
    expect(
      await main(["logs", "/custom/group", "--data", data, "--since", "2026-01-15T00:00:00Z"], custom),
    ).toBe(0);
    expect(custom.out()).toBe("2026-01-15T12:00:00.000Z s custom\n");
  });

  it("prints JSON lines with --json and keeps to --filter", async () => {
    const io = fakeIo(T0 + 60_000);
    expect(await main(["logs", FN, "--data", data, "--json", "--filter", "?START ?END"], io)).toBe(0);
    const lines = io
      .out()
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines).toEqual([
      {
        logStreamName: STREAM,
        timestamp: T0 + 1,
        message: "START RequestId: r1 Version: $LATEST\n",
        ingestionTime: T0 + 10,
        eventId: expect.stringMatching(/^\d{56}$/),
      },
      expect.objectContaining({ message: "END RequestId: r1\n" }),
    ]);
  });

  it("fails clearly when there is no data, no group, or bad options", async () => {
    const empty = await mkdtemp(join(tmpdir(), "ct-logs-empty-"));
    try {
      const io = fakeIo(T0);
      expect(await main(["logs", FN, "--data", empty], io)).toBe(1);
      expect(io.err()).toContain(`no server data in ${empty}`);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
    const missing = fakeIo(T0);
    expect(await main(["logs", "never-ran", "--data", data], missing)).toBe(1);
    expect(missing.err()).toBe(
      "error: /aws/lambda/never-ran: ResourceNotFoundException: The specified log group does not exist. (has the function run yet?)\n",
    );
    const since = fakeIo(T0);
    expect(await main(["logs", FN, "--data", data, "--since", "yesterday"], since)).toBe(2);
    expect(since.err()).toContain("--since must be like");
    const pattern = fakeIo(T0);
    expect(await main(["logs", FN, "--data", data, "--filter", "{ $.x = 1 }"], pattern)).toBe(1);
    expect(pattern.err()).toContain("InvalidParameterException: JSON filter patterns are not supported");
    const none = fakeIo(T0);
    expect(await main(["logs"], none)).toBe(2);
    expect(await main(["logs", FN, "--data", data, "--url", "http://127.0.0.1:1"], none)).toBe(2);
    const help = fakeIo(T0);
    expect(await main(["logs", "--help"], help)).toBe(0);
    expect(help.out()).toContain("Usage: cognito-triggers logs <function>");
  });
});

describe("logs from a running server (--url)", () => {
  const server = useTestServer();

  it("follows new events until stopped, printing each once", async () => {
    const { server: running, clock } = server();
    const sink = storeLogSink(running.deps.store, clock);
    const io = fakeIo(clock.now());
    let stop = (): void => {};
    const stopped = new Promise<void>((resolve) => {
      stop = resolve;
    });
    const following = logsCommand([FN, "--url", running.url, "--follow"], io, {
      stopSignal: () => stopped,
      pollMs: 5,
    });
    // The function has not run yet: the command waits for its group.
    await until(() => io.err().includes("waiting for"), "the waiting note");
    const t = clock.now();
    await sink.append(GROUP, STREAM, [
      { timestamp: t + 1, message: "first\n" },
      { timestamp: t + 2, message: "second\n" },
    ]);
    await until(() => io.out().includes("second"), "the first batch");
    // Same timestamp as the newest printed: printed, and the earlier ones not again.
    await sink.append(GROUP, "other-stream", [
      { timestamp: t + 2, message: "same time\n" },
      { timestamp: t + 5, message: "third\n" },
    ]);
    await until(() => io.out().includes("third"), "the second batch");
    stop();
    expect(await following).toBe(0);
    expect(
      io
        .out()
        .split("\n")
        .filter(Boolean)
        .map((line) => line.split(" ").slice(2).join(" ")),
    ).toEqual(["first", "second", "same time", "third"]);
    expect(io.err()).toBe(`waiting for ${GROUP} (the function has not run yet)\n`);
  });

  it("reports an unreachable server", async () => {
    const io = fakeIo(T0);
    expect(await main(["logs", FN, "--url", "http://127.0.0.1:9"], io)).toBe(1);
    expect(io.err()).toContain("error: cannot read logs from http://127.0.0.1:9");
  });
});

describe("logs as a process", () => {
  const run = promisify(execFile);
  let bundleDir: string;
  let bin: string;
  beforeAll(async () => {
    // Bundled from the sources, beside node_modules so that its packages resolve: no build of dist needed.
    const cache = join(ROOT, "node_modules", ".cache");
    await mkdir(cache, { recursive: true });
    bundleDir = await mkdtemp(join(cache, "ct-logs-bin-"));
    bin = join(bundleDir, "bin.mjs");
    await build({
      entryPoints: [join(ROOT, "src", "cli", "bin.ts")],
      outfile: bin,
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      packages: "external",
      logLevel: "silent",
    });
  });
  afterAll(async () => {
    await rm(bundleDir, { recursive: true, force: true });
  });

  it("prints a function's events from a data directory", async () => {
    const { stdout, stderr } = await run(process.execPath, [
      bin,
      "logs",
      FN,
      "--data",
      data,
      "--since",
      "2026-01-15",
    ]);
    // Only warnings may reach stderr (a dependency's Node version notice, say).
    expect(stderr).not.toMatch(/error/i);
    expect(stdout.split("\n").filter(Boolean)).toHaveLength(4);
    expect(stdout).toContain(`2026-01-15T12:00:00.003Z ${STREAM} END RequestId: r1\n`);
  });
});
