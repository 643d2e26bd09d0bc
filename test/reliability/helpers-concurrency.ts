// Concurrency and security suite helpers: a server per store backend, settled-result tallies, figure lines.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore } from "../../src/store/index.js";
import { postgresAvailable, startPostgres } from "../helpers/postgres.js";
import { startTestServer, type TestServer } from "../helpers/server.js";

export type Backend = "memory" | "sqlite" | "postgres";

/** Memory and SQLite always; PostgreSQL when a server or the binaries to start one are there. */
export const BACKENDS: readonly Backend[] = postgresAvailable()
  ? ["memory", "sqlite", "postgres"]
  : ["memory", "sqlite"];

export interface BackendServer extends TestServer {
  backend: Backend;
  /** Stops the server, then whatever the backend needed (temp dir, database). Safe to call twice. */
  stop(): Promise<void>;
}

export async function startBackendServer(backend: Backend): Promise<BackendServer> {
  const cleanups: (() => Promise<void>)[] = [];
  const cleanup = async () => {
    for (const step of cleanups.splice(0).reverse()) await step().catch(() => undefined);
  };
  try {
    let running: TestServer;
    if (backend === "memory") {
      running = await startTestServer();
    } else if (backend === "sqlite") {
      const dataDir = await mkdtemp(join(tmpdir(), "ct-rel-sqlite-"));
      cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
      running = await startTestServer({ memory: false, dataDir });
    } else {
      const db = await startPostgres();
      cleanups.push(() => db.stop());
      const store = await openStore({ databaseUrl: db.url });
      cleanups.push(() => store.close());
      running = await startTestServer({ memory: false, store });
    }
    cleanups.push(async () => {
      running.cognito.destroy();
      await running.server.close();
    });
    return { ...running, backend, stop: cleanup };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

/** Counts settled results by outcome: "ok", or the error's `name: message`. */
export function tally(results: readonly PromiseSettledResult<unknown>[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const result of results) {
    const key =
      result.status === "fulfilled"
        ? "ok"
        : `${(result.reason as Error).name}: ${(result.reason as Error).message}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

/** One JSON line with the figures a test reached (the issue asks each test to print them). */
export function report(test: string, figures: Record<string, unknown>): void {
  console.log(JSON.stringify({ test, ...figures }));
}

/** The median of a list of numbers (0 for none). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
