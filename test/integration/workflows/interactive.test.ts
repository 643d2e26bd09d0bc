// The real interactive Ui (readline) fed through streams, as a person types at a terminal: each answer
// is typed only once its prompt is shown. Then the whole `workflow` command driven the same way.
import { PassThrough } from "node:stream";
import { stripVTControlCharacters } from "node:util";
import { describe, expect, it } from "vitest";
import { workflowCommand } from "../../../src/cli/commands/workflow.js";
import { systemClock } from "../../../src/shared/clock.js";
import { interactiveUi, NoAnswerError } from "../../../src/workflows/ui.js";

/** A terminal for tests: what was shown, waiting for a prompt, typing a line. */
function fakeTerminal() {
  const input = new PassThrough();
  const output = new PassThrough();
  let raw = "";
  // What a terminal would display: readline's cursor movements left out.
  let shown = "";
  let seen = 0;
  let waiting: { text: string; resolve: () => void } | undefined;
  const check = () => {
    if (!waiting) return;
    const at = shown.indexOf(waiting.text, seen);
    if (at < 0) return;
    seen = at + waiting.text.length;
    const { resolve } = waiting;
    waiting = undefined;
    resolve();
  };
  output.on("data", (chunk: Buffer) => {
    raw += chunk.toString("utf8");
    shown = stripVTControlCharacters(raw).replace(/\r/g, "");
    check();
  });
  return {
    input,
    output,
    shown: () => shown,
    /** Resolves once `text` is shown after what an earlier wait matched. */
    waitFor: (text: string) =>
      new Promise<void>((resolve) => {
        waiting = { text, resolve };
        check();
      }),
    /** Types a line as a keyboard does (Enter sends a carriage return). */
    type: (line: string) => input.write(`${line}\r`),
  };
}

describe("interactiveUi through readline", () => {
  it("lists the choices and asks again, hides the password, takes defaults on Enter", async () => {
    const terminal = fakeTerminal();
    // readline's terminal mode, as on a TTY: it echoes what is typed, except at the password prompt.
    const ui = interactiveUi(terminal.input, terminal.output, { terminal: true });
    try {
      const choice = ui.choose("Which user do you want to use?", [
        "test_user_1",
        "test_user_2",
        "test_user_3",
      ]);
      await terminal.waitFor("Enter a choice between 1 and 3: [1] ");
      terminal.type("9");
      await terminal.waitFor('"9" is not one of the choices: enter a number between 1 and 3.');
      await terminal.waitFor("Enter a choice between 1 and 3: [1] ");
      terminal.type("2");
      expect(await choice).toBe(1);

      const password = ui.password("Enter a password that has at least 8 characters.\n(hidden):", (answer) =>
        answer.length >= 8 ? undefined : "Password not long enough.",
      );
      await terminal.waitFor("(hidden): ");
      terminal.type("abc");
      await terminal.waitFor("Password not long enough.");
      await terminal.waitFor("(hidden): ");
      terminal.type("Typed-Secret-9");
      expect(await password).toBe("Typed-Secret-9");

      const confirm = ui.confirm("Do you want to send a code", true);
      await terminal.waitFor("Do you want to send a code (y/n)? [y] ");
      terminal.type("maybe");
      await terminal.waitFor("Answer y or n.");
      await terminal.waitFor("(y/n)? [y] ");
      terminal.type("");
      expect(await confirm).toBe(true);

      const code = ui.ask("Check your email and enter the code here:", { fallback: "123456" });
      await terminal.waitFor("enter the code here: [123456] ");
      terminal.type("654321");
      expect(await code).toBe("654321");

      const shown = terminal.shown();
      // What is typed is echoed, except at the password prompt.
      expect(shown).toContain("[1] 2");
      expect(shown).toContain("[123456] 654321");
      expect(shown).not.toContain("abc");
      expect(shown).not.toContain("Typed-Secret-9");
    } finally {
      ui.close();
    }
  });

  it("takes answers piped in ahead of their questions, in order, and shows them but not the password", async () => {
    const terminal = fakeTerminal();
    terminal.input.write("3\nPiped-Secret-1\n\nn\n");
    const ui = interactiveUi(terminal.input, terminal.output);
    try {
      expect(await ui.choose("Which user do you want to use?", ["a", "b", "c"])).toBe(2);
      expect(await ui.password("Password:")).toBe("Piped-Secret-1");
      await ui.pause();
      expect(await ui.confirm("Do you want to remove", true)).toBe(false);
      const shown = terminal.shown();
      expect(shown).toContain("Enter a choice between 1 and 3: [1] 3\n");
      expect(shown).toContain("Do you want to remove (y/n)? [y] n\n");
      expect(shown).not.toContain("Piped-Secret-1");
    } finally {
      ui.close();
    }
  });

  it("stops a question when the input ends", async () => {
    const terminal = fakeTerminal();
    const ui = interactiveUi(terminal.input, terminal.output, { terminal: true });
    const pause = ui.pause();
    await terminal.waitFor("Press Enter when you're ready to continue. ");
    terminal.input.end();
    await expect(pause).rejects.toBeInstanceOf(NoAnswerError);
    await expect(ui.confirm("Do you want to remove", true)).rejects.toThrow(/the input ended/);
    ui.close();
  });
});

describe("cognito-triggers workflow auto-confirm at a terminal", () => {
  it("asks step for step; choosing 2 signs up test_user_2; n keeps the user and the trigger", async () => {
    const terminal = fakeTerminal();
    const out: string[] = [];
    const err: string[] = [];
    const done = workflowCommand(
      ["auto-confirm", "--memory"],
      {
        stdout: (text) => {
          out.push(text);
        },
        stderr: (text) => {
          err.push(text);
        },
        cwd: process.cwd(),
        env: { PATH: process.env.PATH, USER_SERVICE_URL: "http://127.0.0.1:9" },
        clock: systemClock,
      },
      terminal,
    );
    await terminal.waitFor(
      "Which user do you want to use?\n\t1. test_user_1\n\t2. test_user_2\n\t3. test_user_3\n",
    );
    await terminal.waitFor("Enter a choice between 1 and 3: [1] ");
    terminal.type("4");
    await terminal.waitFor("Enter a choice between 1 and 3: [1] ");
    terminal.type("2");
    await terminal.waitFor(
      "Enter a password that has at least 8 characters, uppercase, lowercase and numbers.\n(the password will not display as you type): ",
    );
    terminal.type("Terminal-Passw0rd");
    await terminal.waitFor("User test_user_2 signed up, confirmed = true.");
    await terminal.waitFor("Found test_email_2@example.com in the known-users table");
    await terminal.waitFor("Press Enter when you're ready to continue. ");
    terminal.type("");
    await terminal.waitFor("Let's sign in as test_user_2...\nSuccessfully signed in.");
    await terminal.waitFor(
      "Do you want to remove all of the AWS resources that were created during this demo (y/n)? [y] ",
    );
    terminal.type("n");
    expect(await done).toBe(0);
    expect(err.join("")).toBe("");

    const shown = terminal.shown();
    expect(shown).not.toContain("Terminal-Passw0rd");
    expect(shown).toContain(
      "Left the user test_user_2 and the pool's PreSignUp trigger (the stack's other triggers set aside) in place.",
    );
    expect(shown).toContain("cognito-triggers workflow auto-confirm --clean-up --user test_user_2");
    expect(shown).toContain("Thanks for watching!");
    expect(out.join("")).toContain("Workflow auto-confirm finished.");
  });
});
