// The main job as a process: `node dist/cli/bin.js demo` (what `npm start` runs after the build) exits 0 well under a minute.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const BIN = "dist/cli/bin.js";

describe("demo as a process", () => {
  it("runs the example end to end from the built CLI", async () => {
    // `pretest` builds; a missing build is a failure, not a skip.
    expect(existsSync(BIN), `${BIN} is missing: run npm run build`).toBe(true);
    const started = performance.now();
    const { stdout } = await promisify(execFile)(process.execPath, [BIN, "demo"], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
      timeout: 60_000,
      maxBuffer: 10 * 1024 * 1024,
    });
    expect(performance.now() - started).toBeLessThan(45_000);
    expect(stdout).toContain("User test_user_1 signed up, confirmed = true.");
    expect(stdout).toContain("Migrating migrated_user");
    expect(stdout).toContain("Thanks for watching!");
    expect(stdout).toContain("saved for replay");
    expect(stdout).toMatch(/Replayed 1; the User Service now has .*: true/);
    expect(stdout).toContain("Demo finished");
  }, 70_000);
});
