// Runs the store contract against every adapter, plus what only the SQLite file can show (reopening).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../../src/store/index.js";
import type { Store } from "../../src/store/port.js";
import { UniqueViolation } from "../../src/store/port.js";
import { createPostgresStore } from "../../src/store/postgres.js";
import { createSqliteStore, MIGRATIONS, SQLITE_FILE } from "../../src/store/sqlite.js";
import { Database } from "../../src/store/sqlite-driver.js";
import { postgresAvailable, startPostgres, type TestPostgres } from "../helpers/postgres.js";
import { describeStoreContract, indexOf, keysOf, pool, user } from "./store-contract.js";

const dirs: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), "store-test-"));
  dirs.push(dir);
  return dir;
};

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

// PostgreSQL: one database for the file, and a fresh schema for every store the contract opens.
let postgres: TestPostgres | undefined;
let schemas = 0;
if (postgresAvailable()) {
  beforeAll(async () => {
    postgres = await startPostgres();
  }, 120_000);
  afterAll(async () => {
    await postgres?.stop();
  });
}
const postgresStore = async () => {
  if (!postgres) throw new Error("PostgreSQL did not start");
  const schema = `s${++schemas}`;
  const admin = new pg.Client({ connectionString: postgres.url });
  await admin.connect();
  try {
    await admin.query(`CREATE SCHEMA ${schema}`);
  } finally {
    await admin.end();
  }
  return createPostgresStore({ url: postgres.url, schema, max: 4 });
};

describeStoreContract("sqlite file", async () => createSqliteStore({ path: join(tempDir(), SQLITE_FILE) }));
describeStoreContract("sqlite in memory", async () => createSqliteStore({ memory: true }));
if (postgresAvailable()) describeStoreContract("postgres", postgresStore);
describeStoreContract("openStore({ dataDir })", async () =>
  openStore({ dataDir: join(tempDir(), "nested", "data") }),
);

describe("SQLite file", () => {
  it("keeps committed data across close and reopen", async () => {
    const path = join(tempDir(), SQLITE_FILE);
    const alice = user("p1", "alice", { email: "a@x.com" });
    const first = createSqliteStore({ path });
    await first.transaction(async (tx) => {
      await tx.putPool(pool("p1"));
      await tx.insertUser(alice, keysOf(alice), indexOf(alice));
      await tx.addOutboxMessage({
        userPoolId: "p1",
        username: "alice",
        sub: alice.sub,
        medium: "EMAIL",
        destination: "a@x.com",
        subject: "Your code",
        body: "code 1",
        code: "1",
        reason: "SignUp",
        createdAt: 1,
      });
    });
    await expect(
      first.transaction(async (tx) => {
        await tx.putPool(pool("p2"));
        throw new Error("not committed");
      }),
    ).rejects.toThrow();
    await first.close();

    const second = createSqliteStore({ path });
    try {
      await second.transaction(async (tx) => {
        expect(await tx.getPool("p1")).toEqual(pool("p1"));
        expect(await tx.getPool("p2")).toBeUndefined();
        expect(await tx.getUserByAlias("p1", "email:a@x.com")).toEqual({ user: alice, keys: keysOf(alice) });
        const filtered = await tx.listUsers(
          "p1",
          { attribute: "email", op: "^=", value: "a@" },
          5,
          undefined,
        );
        expect(filtered.items).toEqual([alice]);
        expect((await tx.listOutbox({ userPoolId: "p1" })).map((m) => [m.id, m.subject])).toEqual([
          [1, "Your code"],
        ]);
      });
    } finally {
      await second.close();
    }
  });

  it("is in WAL mode with the schema at the latest version", async () => {
    const path = join(tempDir(), SQLITE_FILE);
    await createSqliteStore({ path }).close();
    const db = new Database(path);
    try {
      expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
      expect(db.prepare("SELECT version FROM schema_version").all()).toEqual([
        { version: MIGRATIONS.length },
      ]);
    } finally {
      db.close();
    }
  });

  it("keeps the alias order of a database written before aliases had a position", async () => {
    const path = join(tempDir(), SQLITE_FILE);
    const db = new Database(path);
    db.exec("CREATE TABLE schema_version (version INTEGER NOT NULL)");
    for (const step of MIGRATIONS.slice(0, 2)) db.exec(step);
    db.prepare("INSERT INTO schema_version (version) VALUES (2)").run();
    const alice = user("p1", "alice", { email: "a@x.com", preferred_username: "al" });
    db.prepare("INSERT INTO pools VALUES (?, ?, ?, ?, ?)").run("p1", "name-p1", "{}", 0, 0);
    db.prepare("INSERT INTO users VALUES (?, ?, ?, ?, ?)").run(
      "p1",
      "alice",
      "alice",
      alice.sub,
      JSON.stringify(alice),
    );
    // Read back in rowid order before: the later alias first.
    for (const alias of ["preferred_username:al", "email:a@x.com"]) {
      db.prepare("INSERT INTO user_aliases VALUES (?, ?, ?)").run("p1", alias, "alice");
    }
    db.close();
    const store = createSqliteStore({ path });
    try {
      expect(await store.transaction((tx) => tx.getUserByKey("p1", "alice"))).toEqual({
        user: alice,
        keys: { usernameKey: "alice", aliasKeys: ["preferred_username:al", "email:a@x.com"] },
      });
    } finally {
      await store.close();
    }
  });

  it("refuses a database written by a newer schema", async () => {
    const path = join(tempDir(), SQLITE_FILE);
    await createSqliteStore({ path }).close();
    const db = new Database(path);
    db.prepare("UPDATE schema_version SET version = ?").run(MIGRATIONS.length + 1);
    db.close();
    expect(() => createSqliteStore({ path })).toThrow(/schema version/);
  });

  it("sees and enforces what another connection to the file committed", async () => {
    // One after the other: a second connection in this process waiting on the write lock would block the
    // event loop that the first one needs to commit (in another process it just waits its turn).
    const path = join(tempDir(), SQLITE_FILE);
    const a = createSqliteStore({ path });
    const b = createSqliteStore({ path });
    try {
      const bob = user("p1", "bob", { email: "b@x.com" });
      await a.transaction(async (tx) => {
        await tx.putPool(pool("p1"));
        await tx.insertUser(bob, keysOf(bob), indexOf(bob));
      });
      const clash = { ...user("p1", "BOB"), sub: "sub-other" };
      await expect(
        b.transaction((tx) => tx.insertUser(clash, keysOf(clash), indexOf(clash))),
      ).rejects.toMatchObject({
        kind: "username",
      });
      const carol = user("p1", "carol", { email: "B@x.com" });
      await expect(
        b.transaction((tx) => tx.insertUser(carol, keysOf(carol), indexOf(carol))),
      ).rejects.toBeInstanceOf(UniqueViolation);
      expect(await b.transaction((tx) => tx.getUserByAlias("p1", "email:b@x.com"))).toEqual({
        user: bob,
        keys: keysOf(bob),
      });
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe("openStore", () => {
  it("creates the data directory and the SQLite file in it", async () => {
    const dataDir = join(tempDir(), "a", "b");
    const store: Store = await openStore({ dataDir });
    await store.transaction((tx) => tx.putPool(pool("p1")));
    await store.close();
    const reopened = createSqliteStore({ path: join(dataDir, SQLITE_FILE) });
    expect(await reopened.transaction((tx) => tx.getPool("p1"))).toEqual(pool("p1"));
    await reopened.close();
  });

  it("opens a fresh memory store each time", async () => {
    const one = await openStore({ memory: true });
    await one.transaction((tx) => tx.putPool(pool("p1")));
    const two = await openStore({ memory: true });
    expect(await two.transaction((tx) => tx.getPool("p1"))).toBeUndefined();
    await one.close();
    await two.close();
  });
});
