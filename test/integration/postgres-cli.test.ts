// `migrate` and the --database-url / DATABASE_URL flags of serve, up and migrate, run in-process.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseUrlOf, redactUrl, serveCommand } from "../../src/cli/commands/serve.js";
import type { CliIo } from "../../src/cli/io.js";
import { main } from "../../src/cli/main.js";
import { postgresAvailable, startPostgres, type TestPostgres } from "../helpers/postgres.js";

interface FakeIo extends CliIo {
  out: () => string;
  err: () => string;
}

function fakeIo(env: Record<string, string | undefined> = {}): FakeIo {
  let out = "";
  let err = "";
  return {
    stdout: (text) => {
      out += text;
    },
    stderr: (text) => {
      err += text;
    },
    cwd: process.cwd(),
    env,
    clock: { now: () => Date.now() },
    out: () => out,
    err: () => err,
  };
}

describe("--database-url", () => {
  it("takes the flag over DATABASE_URL, ignores an empty variable and refuses other schemes", () => {
    const env = { DATABASE_URL: "postgres://env@127.0.0.1/db" };
    expect(databaseUrlOf("postgresql://flag@127.0.0.1/db", env)).toBe("postgresql://flag@127.0.0.1/db");
    expect(databaseUrlOf(undefined, env)).toBe("postgres://env@127.0.0.1/db");
    expect(databaseUrlOf(undefined, { DATABASE_URL: "" })).toBeUndefined();
    expect(databaseUrlOf(undefined, {})).toBeUndefined();
    expect(databaseUrlOf("mysql://u:secret@h/db", {})).toEqual({
      error: '--database-url must be a postgres:// URL, not "mysql://u:***@h/db"',
    });
  });

  it("never prints the password", () => {
    expect(redactUrl("postgres://app:s3cret@db.internal:5432/cognito?sslmode=require")).toBe(
      "postgres://app:***@db.internal:5432/cognito?sslmode=require",
    );
    expect(redactUrl("postgres://app@db/cognito")).toBe("postgres://app@db/cognito");
  });

  it("is a usage error with --memory, or with a URL that is not PostgreSQL's", async () => {
    const io = fakeIo();
    expect(await serveCommand(["--memory", "--database-url", "postgres://x@127.0.0.1/db"], io)).toBe(2);
    expect(io.err()).toContain("--database-url and --memory cannot be used together");
    const bad = fakeIo({ DATABASE_URL: "sqlite:///tmp/x.db" });
    expect(await main(["up"], bad)).toBe(2);
    expect(bad.err()).toContain("must be a postgres:// URL");
  });

  it("needs a URL for migrate", async () => {
    const io = fakeIo();
    expect(await main(["migrate"], io)).toBe(2);
    expect(io.err()).toContain("migrate needs --database-url or DATABASE_URL");
    const help = fakeIo();
    expect(await main(["--help"], help)).toBe(0);
    expect(help.out()).toMatch(/migrate\s+apply the PostgreSQL schema migrations/);
  });

  it("reports a server it cannot reach as a failure, without the password", async () => {
    const io = fakeIo();
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    expect(await main(["migrate", "--database-url", "postgres://u:hunter2@127.0.0.1:1/db"], io)).toBe(1);
    expect(io.err()).toContain("cannot migrate postgres://u:***@127.0.0.1:1/db");
    expect(io.err()).not.toContain("hunter2");
  });
});

describe.skipIf(!postgresAvailable())("cognito-triggers migrate", () => {
  let db: TestPostgres;
  beforeAll(async () => {
    db = await startPostgres();
  });
  afterAll(async () => {
    await db?.stop();
  });

  it("migrates from DATABASE_URL, concurrently and repeatedly, to one schema version", async () => {
    // Five at once on an empty database, as a fleet's first start: the lock serialises them.
    const ios = Array.from({ length: 5 }, () => fakeIo({ DATABASE_URL: db.url }));
    const codes = await Promise.all(ios.map((io) => main(["migrate"], io)));
    expect(codes).toEqual([0, 0, 0, 0, 0]);
    const versions = new Set(ios.map((io) => io.out().match(/schema version (\d+)/)?.[1]));
    expect(versions.size).toBe(1);
    const [version] = [...versions];
    expect(Number(version)).toBeGreaterThan(0);

    const again = fakeIo();
    expect(await main(["migrate", "--database-url", db.url], again)).toBe(0);
    expect(again.out()).toContain(`schema version ${version}`);

    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ version: number }>("SELECT version FROM schema_version");
      expect(rows).toEqual([{ version: Number(version) }]);
    } finally {
      await client.end();
    }
  });
});
