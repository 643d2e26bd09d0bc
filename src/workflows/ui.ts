// The conversation (the Ui port): one set of rules — numbered choices, y/n, hidden passwords, defaults,
// asking again — over three sources of answers: a terminal (readline), `--yes` (every default) and a
// replayed script that records each prompt (tests).
import { createInterface } from "node:readline/promises";
import { Writable } from "node:stream";
import type { Check, Ui } from "./steps.js";

/** How many times a question is asked before the run stops. */
export const MAX_ATTEMPTS = 3;

/** Where the answers come from and the conversation goes. */
export interface LineIo {
  /** Shows text as it is. */
  write(text: string): void;
  /**
   * Shows `prompt` and reads one answer ("" for a bare Enter). Hidden answers are not shown.
   * `suggestion` is what an empty answer stands for, for a source to show.
   */
  read(prompt: string, options: { hidden: boolean; suggestion?: string | undefined }): Promise<string>;
}

/** No acceptable answer came (attempts used up, the input ended, or the run was interrupted). */
export class NoAnswerError extends Error {
  override name = "NoAnswerError";
}

export const CONTINUE_PROMPT = "Press Enter when you're ready to continue.";

/**
 * The conversation's rules over any line source. `password` answers every password question without
 * asking (`--password`); it is held to the same checks.
 */
export function conversationUi(lines: LineIo, options: { password?: string | undefined } = {}): Ui {
  const answer = async (
    prompt: string,
    hidden: boolean,
    fallback: string | undefined,
    check: Check | undefined,
  ): Promise<string> => {
    for (let attempt = 1; ; attempt++) {
      const raw = await lines.read(prompt, { hidden, suggestion: fallback });
      // A password is taken as typed (spaces count in Cognito); other answers are trimmed.
      const typed = hidden ? raw.replace(/[\r\n]+$/, "") : raw.trim();
      const value = typed === "" ? fallback : typed;
      const problem = value === undefined || value === "" ? "An answer is needed." : await check?.(value);
      if (problem === undefined && value !== undefined) return value;
      lines.write(`${problem}\n`);
      if (attempt >= MAX_ATTEMPTS)
        throw new NoAnswerError(`no acceptable answer to "${firstLine(prompt)}" after ${MAX_ATTEMPTS} tries`);
    }
  };
  return {
    say: (text) => lines.write(`${text}\n`),
    pause: async (prompt = CONTINUE_PROMPT) => {
      await lines.read(prompt, { hidden: false, suggestion: "" });
    },
    ask: (question, { fallback, check } = {}) => answer(question, false, fallback, check),
    choose: async (question, choices, fallback = 0) => {
      lines.write(`${question}\n${choices.map((choice, i) => `\t${i + 1}. ${choice}\n`).join("")}`);
      const chosen = await answer(
        `Enter a choice between 1 and ${choices.length}:`,
        false,
        String(fallback + 1),
        (typed) => {
          const n = Number(typed);
          return /^\d+$/.test(typed) && n >= 1 && n <= choices.length
            ? undefined
            : `"${typed}" is not one of the choices: enter a number between 1 and ${choices.length}.`;
        },
      );
      return Number(chosen) - 1;
    },
    confirm: async (question, fallback) => {
      const typed = await answer(`${question} (y/n)?`, false, fallback ? "y" : "n", (value) =>
        /^(y|yes|n|no)$/i.test(value) ? undefined : "Answer y or n.",
      );
      return /^y/i.test(typed);
    },
    password: async (prompt, check) => {
      if (options.password === undefined) return answer(prompt, true, undefined, check);
      const problem = await check?.(options.password);
      if (problem !== undefined) throw new NoAnswerError(`the password given with --password: ${problem}`);
      lines.write(`${prompt} ******** (--password)\n`);
      return options.password;
    },
  };
}

const firstLine = (text: string): string => text.split("\n")[0] ?? text;

/** `--yes`: every question takes its default and is shown with it; passwords come from `password`. */
export function scriptedUi(say: (text: string) => void, password: string): Ui {
  return conversationUi(
    {
      write: (text) => say(text.replace(/\n$/, "")),
      read: async (prompt, { suggestion }) => {
        say(suggestion ? `${prompt} ${suggestion}` : prompt);
        return "";
      },
    },
    { password },
  );
}

/** One exchange of a replayed conversation. */
export interface Turn {
  prompt: string;
  answer: string;
  hidden: boolean;
  /** The default an empty answer took. */
  suggestion: string | undefined;
}

/** A conversation replayed from `answers` ("" is a bare Enter), for tests: records every prompt and line. */
export interface ReplayUi extends Ui {
  /** Every question asked, in order, with the answer it got. */
  readonly turns: Turn[];
  /** Everything shown, in order; questions appear as "? <prompt> <answer>" (hidden answers as ********). */
  readonly transcript: string[];
  /** The answers not used. */
  readonly left: string[];
}

export function replayUi(answers: readonly string[], options: { password?: string } = {}): ReplayUi {
  const left = [...answers];
  const turns: Turn[] = [];
  const transcript: string[] = [];
  const ui = conversationUi(
    {
      write: (text) => transcript.push(text.replace(/\n$/, "")),
      read: async (prompt, { hidden, suggestion }) => {
        const next = left.shift();
        if (next === undefined)
          throw new NoAnswerError(`the script has no answer left for "${firstLine(prompt)}"`);
        turns.push({ prompt, answer: next, hidden, suggestion });
        transcript.push(`? ${prompt} ${hidden ? "********" : next}`);
        return next;
      },
    },
    options,
  );
  return Object.assign(ui, { turns, transcript, left });
}

/**
 * A terminal: prompts on `output`, answers from `input` through readline. What is typed at a password
 * prompt is not echoed. Lines that arrive before their question (typed ahead, or piped in) wait for it.
 * Ctrl-C or the end of the input stops the question being asked (NoAnswerError). `terminal` (default:
 * whether `input` is a TTY) is readline's mode: it echoes what is typed and handles the keys itself.
 */
export function interactiveUi(
  input: NodeJS.ReadableStream,
  output: NodeJS.WritableStream,
  options: { password?: string | undefined; terminal?: boolean } = {},
): Ui & { close(): void } {
  const terminal = options.terminal ?? (input as { isTTY?: boolean }).isTTY === true;
  let muted = false;
  // readline echoes through this stream, so a password prompt can hide what is typed.
  const echo = new Writable({
    write(chunk: Buffer, _encoding, done) {
      if (!muted) output.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input, output: echo, terminal, historySize: 0 });
  const queued: string[] = [];
  let waiting: { prompt: string; resolve(line: string): void; reject(error: Error): void } | undefined;
  let ended: string | undefined;
  rl.on("line", (line) => {
    const current = waiting;
    waiting = undefined;
    if (current) current.resolve(line);
    else queued.push(line);
  });
  const stop = (reason: string) => {
    ended ??= reason;
    const current = waiting;
    waiting = undefined;
    current?.reject(new NoAnswerError(`${ended} before "${firstLine(current.prompt)}" was answered`));
  };
  rl.on("close", () => stop("the input ended"));
  rl.on("SIGINT", () => {
    output.write("^C\n");
    stop("interrupted");
    rl.close();
  });
  const nextLine = (prompt: string) =>
    new Promise<string>((resolve, reject) => {
      const line = queued.shift();
      if (line !== undefined) resolve(line);
      else if (ended) reject(new NoAnswerError(`${ended} before "${firstLine(prompt)}" was answered`));
      else waiting = { prompt, resolve, reject };
    });
  const lines: LineIo = {
    write: (text) => output.write(text),
    read: async (prompt, { hidden, suggestion }) => {
      const shown = suggestion ? `${prompt} [${suggestion}] ` : `${prompt} `;
      if (ended && queued.length === 0)
        throw new NoAnswerError(`${ended} before "${firstLine(prompt)}" was answered`);
      if (hidden) {
        output.write(shown);
        muted = true;
        rl.setPrompt("");
      } else rl.setPrompt(shown);
      try {
        if (!ended) rl.prompt();
        else if (!hidden) output.write(shown);
        const line = await nextLine(prompt);
        // Without a terminal nothing echoes the answer: show it (never a password).
        if (!terminal && !hidden) output.write(`${line}\n`);
        return line;
      } finally {
        if (hidden) {
          muted = false;
          output.write("\n");
        }
      }
    },
  };
  return Object.assign(conversationUi(lines, options), { close: () => rl.close() });
}
