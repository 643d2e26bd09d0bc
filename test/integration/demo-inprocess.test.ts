// The demo in-process: the example stack, every workflow, the user sync with one failure and its replay.
import { describe, expect, it } from "vitest";
import { runDemo } from "../../src/workflows/demo.js";

describe("demo (in process)", () => {
  it("runs every workflow and replays the failed sync", async () => {
    const lines: string[] = [];
    await runDemo({ env: { PATH: process.env.PATH }, say: (text) => lines.push(text) });
    const out = lines.join("\n");
    if (process.env.SHOW_DEMO) console.log(out);
    expect(out).toContain("the trigger confirmed the user");
    expect(out).toContain("Found auto-confirm-user@example.com");
    expect(out).toContain("Migrating migrate-user-user");
    expect(out).toContain('"UserName": "activity-log-user"');
    expect(out).toContain("Synced user-sync-user@example.com");
    expect(out).toContain("saved for replay");
    expect(out).toMatch(/Replayed 1; the User Service now has .*: true/);
    expect(out).toContain("Deleted the stack");
  });
});
