// What only PostgreSQL shows: several instances on one database, concurrent migrations, retried conflicts.
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { indexOf, keysOf, pool, user } from "../../test/contract/store-contract.js";
import { postgresAvailable, startPostgres, type TestPostgres } from "../../test/helpers/postgres.js";
import { openStore } from "./index.js";
import type { SessionRecord } from "./model.js";
import type { Store } from "./port.js";
import { UniqueViolation } from "./port.js";
import { createPostgresStore, migratePostgres, POSTGRES_MIGRATIONS } from "./postgres.js";

const session = (id: string, username: string): SessionRecord => ({
  id,
  poolId: "p1",
  clientId: "c1",
  username,
  challenge: "PASSWORD_VERIFIER",
  data: {},
  expiresAt: 1,
});

describe.skipIf(!postgresAvailable())("PostgreSQL store", () => {
  let postgres: TestPostgres;
  let schemas = 0;
  const stores: Store[] = [];

  const sql = async <R>(text: string, params: unknown[] = []): Promise<R[]> => {
    const client = new pg.Client({ connectionString: postgres.url });
    await client.connect();
    try {
      return (await client.query(text, params)).rows as R[];
    } finally {
      await client.end();
    }
  };

  const freshSchema = async (): Promise<string> => {
    const schema = `pt${++schemas}`;
    await sql(`CREATE SCHEMA ${schema}`);
    return schema;
  };

  /** `count` instances of the server on one schema, as two `serve` processes on one database are. */
  const instances = async (count: number, options: { concurrency?: number } = {}): Promise<Store[]> => {
    const schema = await freshSchema();
    const opened = await Promise.all(
      Array.from({ length: count }, () =>
        createPostgresStore({ url: postgres.url, schema, max: 8, ...options }),
      ),
    );
    stores.push(...opened);
    return opened;
  };

  beforeAll(async () => {
    postgres = await startPostgres();
  }, 120_000);
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
  });
  afterAll(async () => {
    await postgres?.stop();
  });

  it("migrates once when several instances start at once, and records the version", async () => {
    const schema = await freshSchema();
    const opened = await Promise.all(
      Array.from({ length: 5 }, () => createPostgresStore({ url: postgres.url, schema, max: 2 })),
    );
    stores.push(...opened);
    expect(await sql(`SELECT id, version FROM ${schema}.schema_version`)).toEqual([
      { id: 1, version: POSTGRES_MIGRATIONS.length },
    ]);
    expect(await migratePostgres(postgres.url, { schema })).toBe(POSTGRES_MIGRATIONS.length);
  });

  it("refuses a database written by a newer schema", async () => {
    const schema = await freshSchema();
    expect(await migratePostgres(postgres.url, { schema })).toBe(POSTGRES_MIGRATIONS.length);
    await sql(`UPDATE ${schema}.schema_version SET version = $1`, [POSTGRES_MIGRATIONS.length + 1]);
    await expect(createPostgresStore({ url: postgres.url, schema })).rejects.toThrow(/schema version/);
  });

  it("sees on one instance what another committed", async () => {
    const [a, b] = (await instances(2)) as [Store, Store];
    const alice = user("p1", "alice", { email: "a@x.com" });
    await a.transaction(async (tx) => {
      await tx.putPool(pool("p1"));
      await tx.insertUser(alice, keysOf(alice), indexOf(alice));
      await tx.putSession(session("s1", "alice"));
    });
    expect(await b.transaction((tx) => tx.getUserByAlias("p1", "email:a@x.com"))).toEqual({
      user: alice,
      keys: keysOf(alice),
    });
    expect(await b.transaction((tx) => tx.takeSession("s1"))).toMatchObject({ id: "s1" });
    expect(await a.transaction((tx) => tx.takeSession("s1"))).toBeUndefined();
  });

  it("lets exactly one of many concurrent sign-ups of one username across instances succeed", async () => {
    const all = await instances(2, { concurrency: 4 });
    await all[0]?.transaction((tx) => tx.putPool(pool("p1")));
    const spellings = Array.from({ length: 24 }, (_, i) =>
      [..."username"].map((c, bit) => ((i >> bit) & 1 ? c.toUpperCase() : c)).join(""),
    );
    const results = await Promise.allSettled(
      spellings.map((name, i) =>
        all[i % 2]?.transaction(async (tx) => {
          // As the domain does: look first, then insert; the constraint decides the race.
          if (await tx.getUserByKey("p1", name.toLowerCase()))
            throw new UniqueViolation("username", undefined);
          const u = user("p1", name);
          await tx.insertUser(u, keysOf(u), indexOf(u));
        }),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results) {
      if (r.status === "rejected") expect(r.reason).toBeInstanceOf(UniqueViolation);
    }
    expect(await all[1]?.transaction((tx) => tx.countUsers("p1"))).toBe(1);
  });

  it("keeps an alias unique across instances", async () => {
    const all = await instances(2, { concurrency: 4 });
    await all[0]?.transaction((tx) => tx.putPool(pool("p1")));
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        all[i % 2]?.transaction((tx) => {
          const u = user("p1", `user${i}`, { email: "same@x.com" });
          return tx.insertUser(u, keysOf(u), indexOf(u));
        }),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results) {
      if (r.status === "rejected") expect(r.reason).toMatchObject({ kind: "alias", attribute: "email" });
    }
  });

  it("retries serialisation failures, so concurrent read-modify-writes across instances lose no update", async () => {
    const all = await instances(2, { concurrency: 4 });
    await all[0]?.transaction((tx) => tx.putPool(pool("p1", "count-0")));
    let runs = 0;
    const bump = (store: Store | undefined) =>
      store?.transaction(async (tx) => {
        runs++;
        const count = Number((await tx.getPool("p1"))?.name.replace("count-", ""));
        await new Promise((resolve) => setTimeout(resolve, 5));
        await tx.putPool(pool("p1", `count-${count + 1}`));
      });
    await Promise.all(Array.from({ length: 8 }, (_, i) => bump(all[i % 2])));
    expect((await all[1]?.transaction((tx) => tx.getPool("p1")))?.name).toBe("count-8");
    // Some ran again after a serialisation failure: the callers' bodies allow that.
    expect(runs).toBeGreaterThan(8);
  });

  it("counts every concurrent increment from any instance", async () => {
    const all = await instances(2, { concurrency: 4 });
    const counts = await Promise.all(
      Array.from({ length: 20 }, (_, i) => all[i % 2]?.transaction((tx) => tx.incrementCounter("k", 0, 1))),
    );
    expect([...counts].sort((x, y) => (x ?? 0) - (y ?? 0))).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
  });

  it("hands a session to exactly one of the instances taking it at once", async () => {
    const all = await instances(2, { concurrency: 4 });
    await all[0]?.transaction(async (tx) => {
      await tx.putPool(pool("p1"));
      await tx.putSession(session("s1", "bob"));
    });
    const taken = await Promise.all(
      Array.from({ length: 6 }, (_, i) => all[i % 2]?.transaction((tx) => tx.takeSession("s1"))),
    );
    expect(taken.filter((s) => s !== undefined)).toHaveLength(1);
  });

  it("creates one signing key and one secret when instances race for them", async () => {
    const all = await instances(2, { concurrency: 4 });
    await all[0]?.transaction((tx) => tx.putPool(pool("p1")));
    const keys = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        all[i % 2]?.transaction((tx) =>
          tx.putSigningKeyIfAbsent({
            poolId: "p1",
            use: "id",
            kid: `k${i}`,
            privateJwk: "{}",
            publicJwk: "{}",
            createdAt: 1,
          }),
        ),
      ),
    );
    expect(new Set(keys.map((k) => k?.kid)).size).toBe(1);
    const secrets = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        all[i % 2]?.transaction((tx) => tx.getOrCreateSecret("srp", () => `v${i}`)),
      ),
    );
    expect(new Set(secrets).size).toBe(1);
  });

  it("gives up on a non-retryable error at once, rolling back", async () => {
    const [store] = (await instances(1)) as [Store];
    let runs = 0;
    await expect(
      store.transaction(async (tx) => {
        runs++;
        await tx.putPool(pool("p9"));
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(runs).toBe(1);
    expect(await store.transaction((tx) => tx.getPool("p9"))).toBeUndefined();
  });

  it("is what openStore gives for a database URL", async () => {
    const store = await openStore({ databaseUrl: postgres.url });
    stores.push(store);
    await store.transaction((tx) => tx.putPool(pool("via-url")));
    expect(await store.transaction((tx) => tx.getPool("via-url"))).toEqual(pool("via-url"));
  });
});
