// Runs the built `cognito-triggers serve` (dist/cli/bin.js) as a child process for the crash and disk tests.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";

export const BIN = resolve(dirname(fileURLToPath(import.meta.url)), "../../dist/cli/bin.js");

const LISTENING = /listening on (http:\/\/\S+)/;

export interface ServeProcess {
  child: ChildProcess;
  url: string;
  /** An SDK client pointed at the child, dummy credentials, no retries. */
  cognito: CognitoIdentityProviderClient;
  stdout: () => string;
  stderr: () => string;
  /** SIGKILLs the child (if still running) and waits for it to be gone. */
  kill: () => Promise<void>;
  /** SIGTERM: a clean shutdown (the store is closed, the WAL checkpointed); SIGKILL after `graceMs`. */
  stop: (graceMs?: number) => Promise<void>;
}

export interface ServeExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Every child any test started: `stopAllServe` kills the ones still running (afterAll / afterEach). */
const running = new Set<ChildProcess>();

function assertBuilt(): void {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run "npm run build" first`);
}

function spawnServe(args: readonly string[], as: { uid?: number; gid?: number } = {}): ChildProcess {
  assertBuilt();
  const child = spawn(process.execPath, [BIN, "serve", ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    ...(as.uid === undefined ? {} : { uid: as.uid }),
    ...(as.gid === undefined ? {} : { gid: as.gid }),
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
  });
  running.add(child);
  child.once("exit", () => running.delete(child));
  return child;
}

function waitForExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => child.once("exit", () => done()));
}

/** Starts `serve` with `args` and resolves once it prints its URL; rejects if it exits or takes over `timeoutMs`. */
export async function startServe(args: readonly string[], timeoutMs = 30_000): Promise<ServeProcess> {
  const child = spawnServe(args);
  let out = "";
  let err = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    out += chunk;
  });
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    err += chunk;
  });
  const kill = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await waitForExit(child);
  };
  try {
    const url = await new Promise<string>((done, fail) => {
      const timer = setTimeout(
        () => fail(new Error(`serve did not start in ${timeoutMs} ms:\n${out}\n${err}`)),
        timeoutMs,
      );
      const onData = () => {
        const match = LISTENING.exec(out);
        if (match?.[1]) {
          clearTimeout(timer);
          done(match[1]);
        }
      };
      child.stdout?.on("data", onData);
      child.once("exit", (code, signal) => {
        clearTimeout(timer);
        fail(new Error(`serve exited (code ${code}, signal ${signal}) before listening:\n${out}\n${err}`));
      });
    });
    const cognito = new CognitoIdentityProviderClient({
      endpoint: url,
      region: "us-east-1",
      credentials: { accessKeyId: "AKIDLOCAL", secretAccessKey: "local-secret" },
      maxAttempts: 1,
    });
    return {
      child,
      url,
      cognito,
      stdout: () => out,
      stderr: () => err,
      kill: async () => {
        cognito.destroy();
        await kill();
      },
      stop: async (graceMs = 10_000) => {
        cognito.destroy();
        if (child.exitCode !== null || child.signalCode !== null) return;
        const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
        child.kill("SIGTERM");
        await waitForExit(child);
        clearTimeout(timer);
      },
    };
  } catch (error) {
    await kill();
    throw error;
  }
}

/**
 * Runs `serve` with `args` expecting it to fail on its own; SIGKILLs it after `timeoutMs` (reported as signal).
 * `uid`/`gid` run it as another user (only when this process is root).
 */
export async function runServeExpectingExit(
  args: readonly string[],
  options: { timeoutMs?: number; uid?: number; gid?: number } = {},
): Promise<ServeExit> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const child = spawnServe(args, options);
  let stdout = "";
  let stderr = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((done) =>
    child.once("close", (c, s) => done([c, s])),
  );
  clearTimeout(timer);
  return { code, signal, stdout, stderr };
}

/** Kills every child still running (for afterAll/afterEach). */
export async function stopAllServe(): Promise<void> {
  const children = [...running];
  for (const child of children) child.kill("SIGKILL");
  await Promise.all(children.map(waitForExit));
}

/** True when stderr looks like a Node stack trace rather than a one-line message. */
export function hasStackTrace(text: string): boolean {
  return /^\s+at\s.+[(:]\d+/m.test(text) || /node:internal/.test(text);
}
