// Starts the real server on 127.0.0.1:0 for a test, with an in-memory store and a clock the test moves.
import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll } from "vitest";
import { type RunningServer, type ServerOptions, startServer } from "../../src/edge/create-server.js";

/** A clock the test advances explicitly: no sleeps. */
export class TestClock {
  constructor(public ms = Date.UTC(2026, 0, 15, 12, 0, 0)) {}
  now = () => this.ms;
  advance(ms: number): void {
    this.ms += ms;
  }
}

export interface TestServer {
  server: RunningServer;
  url: string;
  clock: TestClock;
  /** An SDK client pointed at the server with dummy credentials. */
  cognito: CognitoIdentityProviderClient;
}

export async function startTestServer(options: ServerOptions = {}): Promise<TestServer> {
  const clock = new TestClock();
  const server = await startServer({ port: 0, host: "127.0.0.1", memory: true, clock, ...options });
  const cognito = new CognitoIdentityProviderClient({
    endpoint: server.url,
    region: "us-east-1",
    credentials: { accessKeyId: "AKIDLOCAL", secretAccessKey: "local-secret" },
    maxAttempts: 1,
  });
  return { server, url: server.url, clock, cognito };
}

/** beforeAll/afterAll wiring: the server is always stopped. */
export function useTestServer(options: ServerOptions = {}): () => TestServer {
  let running: TestServer | undefined;
  beforeAll(async () => {
    running = await startTestServer(options);
  });
  afterAll(async () => {
    running?.cognito.destroy();
    await running?.server.close();
  });
  return () => {
    if (!running) throw new Error("test server not started");
    return running;
  };
}

/** Runs `work` and returns the error's name and message (for asserting Cognito exceptions). */
export async function errorOf(work: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await work;
  } catch (error) {
    const e = error as { name: string; message: string };
    return { name: e.name, message: e.message };
  }
  throw new Error("expected the call to fail");
}
