// Checks that the SQLite store's listings are served by indexes (no scan, no sort) whatever the pool size.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeCursor, userFilterScope } from "./paging.js";
import type { UserFilter } from "./port.js";
import { createSqliteStore, listUsersSql, SQLITE_FILE } from "./sqlite.js";
import { Database } from "./sqlite-driver.js";

describe("SQLite query plans", () => {
  let dir: string;
  let db: InstanceType<typeof Database>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "sqlite-plan-"));
    await createSqliteStore({ path: join(dir, SQLITE_FILE) }).close();
    db = new Database(join(dir, SQLITE_FILE));
  });

  afterAll(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  // Any value serves for each placeholder: the plan depends on the statement, not on the values.
  const plan = (sql: string): string =>
    (
      db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...(sql.match(/\?/g) ?? []).map(() => "v")) as {
        detail: string;
      }[]
    )
      .map((row) => row.detail)
      .join("\n");

  // The seek each variant must do: paging deep never re-reads earlier rows.
  const seeks = [
    { prefix: true, bounded: true, after: false, seek: "value>? AND value<?" },
    { prefix: true, bounded: false, after: false, seek: "value>?" },
    { prefix: true, bounded: true, after: true, seek: "(value,username)>(?,?) AND value<?" },
    { prefix: true, bounded: false, after: true, seek: "(value,username)>(?,?)" },
    { prefix: false, bounded: false, after: false, seek: "value=?" },
    { prefix: false, bounded: false, after: true, seek: "value=? AND username>?" },
  ];

  it.each(seeks)(
    "filtered listUsers $prefix/$bounded/$after seeks user_index_by_value in order",
    (variant) => {
      const detail = plan(listUsersSql(variant.prefix, variant.bounded, variant.after));
      expect(detail).toContain(
        `SEARCH i USING COVERING INDEX user_index_by_value (pool_id=? AND attribute=? AND ${variant.seek})`,
      );
      expect(detail).toContain("SEARCH u USING INDEX sqlite_autoindex_users_1 (pool_id=? AND username=?)");
      expect(detail).not.toMatch(/SCAN|TEMP B-TREE/);
    },
  );

  it("reads a user's aliases in order from an index, without sorting", () => {
    const detail = plan(
      "SELECT alias_key FROM user_aliases WHERE pool_id = ? AND username = ? ORDER BY position",
    );
    expect(detail).toContain("USING INDEX user_aliases_by_user (pool_id=? AND username=?)");
    expect(detail).not.toMatch(/SCAN|TEMP B-TREE/);
  });
});

describe("SQLite listUsers", () => {
  it("does not let a made-up cursor below the prefix widen a ^= match", async () => {
    const store = createSqliteStore({ memory: true });
    try {
      await store.transaction(async (tx) => {
        await tx.putPool({ id: "p", name: "p", settings: {}, createdAt: 0, lastModifiedAt: 0 });
        for (const [username, email] of [
          ["u1", "a@x"],
          ["u2", "b@x"],
          ["u3", "c@x"],
        ] as const) {
          const user = {
            poolId: "p",
            username,
            sub: `s-${username}`,
            attributes: { email },
            status: "CONFIRMED" as const,
            enabled: true,
            password: undefined,
            createdAt: 0,
            lastModifiedAt: 0,
          };
          await tx.insertUser(user, { usernameKey: username, aliasKeys: [] }, { email });
        }
      });
      const filter: UserFilter = { attribute: "email", op: "^=", value: "b" };
      const forged = encodeCursor(userFilterScope(filter), ["a", ""]);
      const page = await store.transaction((tx) => tx.listUsers("p", filter, 10, forged));
      expect(page.items.map((u) => u.username)).toEqual(["u2"]);
    } finally {
      await store.close();
    }
  });
});
