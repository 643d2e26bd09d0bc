// The built CLI in a real pseudo-terminal (util-linux `script` allocates it): raw mode, echo and hidden
// input as a person at a terminal gets them. Each answer is typed once its prompt is on the screen.
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { stripVTControlCharacters } from "node:util";
import { describe, expect, it } from "vitest";

const BIN = "dist/cli/bin.js";
const HAS_SCRIPT = spawnSync("script", ["--version"]).status === 0;

/** The child's screen, and a way to wait for a prompt on it. */
function screen(child: ChildProcessWithoutNullStreams) {
  let raw = "";
  let seen = 0;
  let waiting: { text: string; resolve: () => void; reject: (error: Error) => void } | undefined;
  const shown = () => stripVTControlCharacters(raw).replace(/\r/g, "");
  const check = () => {
    if (!waiting) return;
    const text = shown();
    const at = text.indexOf(waiting.text, seen);
    if (at < 0) return;
    seen = at + waiting.text.length;
    const { resolve } = waiting;
    waiting = undefined;
    resolve();
  };
  child.stdout.on("data", (chunk: Buffer) => {
    raw += chunk.toString("utf8");
    check();
  });
  const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
  void exited.then(() =>
    waiting?.reject(new Error(`the CLI ended before "${waiting.text}" was shown:\n${shown()}`)),
  );
  return {
    shown,
    exited,
    waitFor: (text: string) =>
      new Promise<void>((resolve, reject) => {
        waiting = { text, resolve, reject };
        check();
      }),
    type: (line: string) => child.stdin.write(`${line}\r`),
  };
}

describe.skipIf(!HAS_SCRIPT)("workflow migrate-user in a pseudo-terminal", () => {
  it("asks for the user, the email, the code (a wrong one is asked again) and a hidden password", async () => {
    // `pretest` builds; a missing build is a failure, not a skip.
    expect(existsSync(BIN), `${BIN} is missing: run npm run build`).toBe(true);
    const command = `'${process.execPath}' ${BIN} workflow migrate-user --memory`;
    const child = spawn("script", ["-q", "-e", "-c", command, "/dev/null"], {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        TERM: "dumb",
        USER_SERVICE_URL: "http://127.0.0.1:9",
      },
    });
    const term = screen(child);
    try {
      await term.waitFor("Enter a username: [migrated_user] ");
      term.type("");
      await term.waitFor("Enter an email that you own: [migrated_user@example.com] ");
      term.type("pty_owner@example.com");
      await term.waitFor("Password reset required for the user (PasswordResetRequiredException).");
      await term.waitFor("Migrating migrated_user (pty_owner@example.com).");
      await term.waitFor("Do you want to send a code (y/n)? [y] ");
      term.type("y");
      await term.waitFor("A confirmation code has been sent to");
      await term.waitFor("Check your email and enter the code here: [");
      term.type("0000000");
      await term.waitFor("(the password will not display as you type): ");
      term.type("Pty-Passw0rd");
      await term.waitFor("That is not the code Cognito sent (CodeMismatchException).");
      await term.waitFor("Check your email and enter the code here: [");
      term.type("");
      await term.waitFor("User 'migrated_user' successfully confirmed and migrated.");
      await term.waitFor("Successfully signed in. Your access token starts with: ");
      await term.waitFor("(y/n)? [y] ");
      term.type("y");
      await term.waitFor("Thanks for watching!");
      expect(await term.exited).toBe(0);
    } finally {
      child.stdin.end();
      if (child.exitCode === null) child.kill();
    }
    const shown = term.shown();
    // The answers are echoed as typed, the password is not.
    expect(shown).toContain("[migrated_user@example.com] pty_owner@example.com");
    expect(shown).toMatch(/enter the code here: \[\d{6}\] 0000000/);
    expect(shown).not.toContain("Pty-Passw0rd");
    expect(shown).toContain("Workflow migrate-user finished.");
  });
});
