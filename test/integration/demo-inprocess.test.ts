// The demo in-process: the example stack, every scenario answered with its defaults, the user sync with one failure and its replay.
import { describe, expect, it } from "vitest";
import { runDemo } from "../../src/workflows/demo.js";

/** The text from the heading that contains `from` up to the next heading that contains `to`. */
function section(out: string, from: string, to: string): string {
  const start = out.indexOf(from);
  const end = out.indexOf(to, start + from.length);
  expect(start, `no section "${from}"`).toBeGreaterThanOrEqual(0);
  expect(end, `no section "${to}" after "${from}"`).toBeGreaterThan(start);
  return out.slice(start, end);
}

const starts = (text: string) => text.match(/START RequestId/g)?.length ?? 0;

describe("demo (in process)", () => {
  it("runs every scenario and replays the failed sync; each section shows only what its scenario caused", async () => {
    const lines: string[] = [];
    await runDemo({ env: { PATH: process.env.PATH }, say: (text) => lines.push(text) });
    const out = lines.join("\n");
    if (process.env.SHOW_DEMO) console.log(out);
    expect(out).toContain("Enter a choice between 1 and 3: 1");
    expect(out).toContain("User test_user_1 signed up, confirmed = true.");
    expect(out).toContain("Found test_email_1@example.com");
    expect(out).toContain("Migrating migrated_user (migrated_user@example.com).");
    expect(out).toContain("User 'migrated_user' successfully confirmed and migrated.");
    expect(out).toMatch(/The last login info for the user in the known-users table is:\n {2}\{"UserPoolId":/);
    expect(out.match(/Thanks for watching!/g)).toHaveLength(3);
    expect(out).toContain("Synced user-sync-user@example.com");
    expect(out).toContain("saved for replay");
    expect(out).toMatch(/Replayed 1; the User Service now has .*: true/);
    expect(out).toContain("Deleted the stack");

    const autoConfirm = section(out, "Welcome: automatically confirm", "Welcome: migrate known users");
    const migrate = section(out, "Welcome: migrate known users", "Welcome: write custom activity");
    const activity = section(out, "Welcome: write custom activity", "User sync: confirming user-sync-user");
    const sync = section(out, "User sync: confirming user-sync-user", "A failed sync");
    // One invocation of the scenario's own handler in each section, and nobody else's sign-ins.
    expect(starts(autoConfirm)).toBe(1);
    expect(starts(migrate)).toBe(1);
    expect(starts(activity)).toBe(1);
    expect(activity.match(/"UserName":/g)).toHaveLength(1);
    expect(activity).toContain('"UserName":"test_user_1"');
    expect(activity).not.toContain("migrated_user");
    expect(starts(sync)).toBe(1);
  });
});
