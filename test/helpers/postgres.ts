// Throwaway PostgreSQL for tests: a fresh database in POSTGRES_URL's server, else a temp cluster of our own.
import { execFile } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { chown, mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { delimiter, join } from "node:path";
import { promisify } from "node:util";
import pg from "pg";

const run = promisify(execFile);

export interface TestPostgres {
  /** A database of its own: `postgres://user@127.0.0.1:port/db`. */
  url: string;
  stop(): Promise<void>;
}

/** PATH with Debian's versioned server binaries appended when `initdb` is not already on it. */
export function postgresPath(path = process.env.PATH ?? ""): string {
  if (onPath("initdb", path)) return path;
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return path;
  // Newest major first: Debian can keep several installed side by side.
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, "bin", "initdb")))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? [path, join(root, versions[0], "bin")].filter(Boolean).join(delimiter) : path;
}

function onPath(binary: string, path: string): boolean {
  return path.split(delimiter).some((dir) => dir !== "" && existsSync(join(dir, binary)));
}

/** True when a test can have a database: an external server, or the binaries to start one. */
export function postgresAvailable(): boolean {
  return Boolean(process.env.POSTGRES_URL) || onPath("initdb", postgresPath());
}

/**
 * A database for one test file. With POSTGRES_URL (CI's shared cluster, or an external server) it
 * creates a uniquely named database there and drops it on stop, so files never see each other's rows;
 * without it, a whole cluster in a temp dir on a free port, removed on stop.
 */
export async function startPostgres(): Promise<TestPostgres> {
  const external = process.env.POSTGRES_URL;
  return external ? databaseIn(external) : startCluster();
}

async function databaseIn(serverUrl: string): Promise<TestPostgres> {
  const name = `ct_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async stop() {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        // FORCE closes pools a test forgot to end (PostgreSQL 13+); the database is ours alone.
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** A throwaway cluster: trust auth, 127.0.0.1 only, fsync off (nothing here needs to survive a crash). */
export async function startCluster(): Promise<TestPostgres & { port: number; dir: string }> {
  const env = { ...process.env, PATH: postgresPath() };
  const dir = await mkdtemp(join(tmpdir(), "ct-pg-"));
  const data = join(dir, "data");
  const log = join(dir, "server.log");
  // initdb refuses to run as root: the cluster belongs to the postgres user, and so does the temp dir.
  const asRoot = userInfo().uid === 0;
  // runuser resets PATH (login.defs), so the binaries' directory is passed through env explicitly.
  const as = async (args: string[]) =>
    asRoot
      ? run("runuser", ["-u", "postgres", "--", "env", `PATH=${env.PATH}`, ...args], { env })
      : run(args[0] as string, args.slice(1), { env });
  if (asRoot) {
    const { stdout } = await run("id", ["-u", "postgres"]);
    const { stdout: gid } = await run("id", ["-g", "postgres"]);
    await chown(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  const port = await freePort();
  try {
    await as([
      "initdb",
      "-D",
      data,
      "-A",
      "trust",
      "-U",
      "postgres",
      "-E",
      "UTF8",
      "--no-sync",
      "--no-instructions",
    ]);
    const options = [
      `-p ${port}`,
      `-k ${dir}`,
      "-c listen_addresses=127.0.0.1",
      "-c fsync=off",
      "-c synchronous_commit=off",
      "-c full_page_writes=off",
      "-c max_connections=200",
    ].join(" ");
    await as(["pg_ctl", "-D", data, "-o", options, "-l", log, "-w", "-t", "60", "start"]);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(`cannot start PostgreSQL: ${(error as Error).message}`);
  }
  const serverUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let database: TestPostgres;
  try {
    database = await databaseIn(serverUrl);
  } catch (error) {
    await as(["pg_ctl", "-D", data, "-m", "immediate", "stop"]).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  let stopped = false;
  return {
    url: database.url,
    port,
    dir,
    async stop() {
      if (stopped) return;
      stopped = true;
      // Immediate: the data is thrown away, so no checkpoint is worth waiting for.
      await as(["pg_ctl", "-D", data, "-m", "immediate", "-w", "stop"]).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Only the server URL (the `postgres` database) of a cluster started by `startCluster`. */
export const serverUrlOf = (port: number): string => `postgres://postgres@127.0.0.1:${port}/postgres`;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
