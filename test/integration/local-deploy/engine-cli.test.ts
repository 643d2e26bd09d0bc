// `up`, `outputs` and `down` as commands on one data dir, with an injected stop signal.
import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { downCommand } from "../../../src/cli/commands/down.js";
import { outputsCommand } from "../../../src/cli/commands/outputs.js";
import { upCommand } from "../../../src/cli/commands/up.js";
import type { CliIo } from "../../../src/cli/io.js";
import { systemClock } from "../../../src/shared/clock.js";

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

function io(cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  const value: CliIo = {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
    clock: systemClock,
  };
  return { io: value, out, err };
}

describe("up / outputs / down commands", () => {
  it("deploys the example, prints the outputs, deletes the stack", async () => {
    const dir = await mkdtemp(join(tmpdir(), "engine-cli-"));
    dirs.push(dir);
    await cp(resolve("examples/user-pools-and-triggers"), dir, {
      recursive: true,
      filter: (source) => !/node_modules|\.cognito-triggers/.test(source),
    });
    const up = io(dir);
    const code = await upCommand(["--port", "0", "--data", "data"], up.io, () => Promise.resolve());
    expect(up.err.join("")).not.toMatch(/error/);
    expect(code).toBe(0);
    const printed = up.out.join("");
    expect(printed).toMatch(
      /stack user-pools-and-triggers-dev:\n {2}created {4}.*CognitoUserPoolUserPoolsAndTriggers/,
    );
    expect(printed).toMatch(/UserPoolId = us-east-1_/);
    expect(printed).toMatch(/serving on http:\/\/127\.0\.0\.1:\d+/);

    const outputs = io(dir);
    expect(await outputsCommand(["--data", "data", "--json"], outputs.io)).toBe(0);
    const parsed = JSON.parse(outputs.out.join(""));
    expect(parsed.UserPoolId).toMatch(/^us-east-1_/);
    expect(parsed.TableName).toBe("user-pools-and-triggers-dev-known-users");

    const down = io(dir);
    expect(await downCommand(["--data", "data"], down.io)).toBe(0);
    expect(down.out.join("")).toMatch(/deleted .*CognitoUserPoolUserPoolsAndTriggers/);

    const after = io(dir);
    expect(await outputsCommand(["--data", "data"], after.io)).toBe(1);
    expect(after.err.join("")).toMatch(/not deployed here/);
  });
});
