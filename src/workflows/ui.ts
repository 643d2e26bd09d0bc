// The two ways to run a workflow: asking a person (readline, hidden password) or answering from flags.
import { createInterface } from "node:readline/promises";
import { Writable } from "node:stream";
import type { Ui } from "./steps.js";

/** Non-interactive (`--yes`): no pauses, defaults for every question, the password from `--password`. */
export function scriptedUi(say: (text: string) => void, password: string): Ui {
  return {
    say,
    pause: async () => {},
    ask: async (_question, fallback) => fallback,
    password: async () => password,
  };
}

/** Interactive: prompts on the terminal; the password is read without echoing it. */
export function interactiveUi(
  input: NodeJS.ReadableStream,
  output: NodeJS.WritableStream,
): Ui & { close(): void } {
  let muted = false;
  // Writes go through this stream so a password prompt can hide what is typed.
  const echo = new Writable({
    write(chunk: Buffer, _encoding, done) {
      if (!muted) output.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input, output: echo, terminal: true });
  return {
    say: (text) => output.write(`${text}\n`),
    pause: async () => {
      await rl.question("Press Enter to continue...");
    },
    ask: async (question, fallback) => {
      const answer = (await rl.question(`${question} [${fallback}] `)).trim();
      return answer === "" ? fallback : answer;
    },
    password: async (question) => {
      output.write(question);
      muted = true;
      try {
        return await rl.question("");
      } finally {
        muted = false;
        output.write("\n");
      }
    },
    close: () => rl.close(),
  };
}
