// The store contract: behaviour every Store adapter must show, run against each adapter by store.test.ts.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { InvalidCursor, MissingRecord } from "../../src/store/errors.js";
import type {
  ClientRecord,
  CodeRecord,
  GroupRecord,
  OutboxMessage,
  PoolRecord,
  RefreshTokenRecord,
  SessionRecord,
  SigningKeyRecord,
  UserRecord,
} from "../../src/store/model.js";
import type { Page, Store, StoreTx, UserFilter, UserKeys } from "../../src/store/port.js";
import { COUNTER_KEPT_MS, EXPIRED_KEPT_MS, UniqueViolation } from "../../src/store/port.js";

const T0 = 1_700_000_000_000;

export function pool(id: string, name = `name-${id}`): PoolRecord {
  return {
    id,
    name,
    settings: { Policies: { PasswordPolicy: { MinimumLength: 8 } } },
    createdAt: T0,
    lastModifiedAt: T0,
  };
}

function client(poolId: string, clientId: string): ClientRecord {
  return { clientId, poolId, settings: { ClientName: `app-${clientId}` }, createdAt: T0, lastModifiedAt: T0 };
}

export function user(poolId: string, username: string, attributes: Record<string, string> = {}): UserRecord {
  return {
    poolId,
    username,
    sub: `sub-${username.toLowerCase()}`,
    attributes,
    status: "CONFIRMED",
    enabled: true,
    password: { salt: "00", verifier: "ff", temporary: false, setAt: T0 },
    createdAt: T0,
    lastModifiedAt: T0,
  };
}

/** Keys as a case-insensitive pool computes them: email and preferred_username are aliases. */
export function keysOf(u: UserRecord): UserKeys {
  const aliasKeys: string[] = [];
  for (const attribute of ["email", "phone_number", "preferred_username"]) {
    const value = u.attributes[attribute];
    if (value !== undefined) aliasKeys.push(`${attribute}:${value.toLowerCase()}`);
  }
  return { usernameKey: u.username.toLowerCase(), aliasKeys };
}

export function indexOf(u: UserRecord): Record<string, string> {
  const index: Record<string, string> = {
    username: u.username.toLowerCase(),
    sub: u.sub,
    status: u.enabled ? "Enabled" : "Disabled",
  };
  for (const attribute of ["email", "given_name", "family_name", "preferred_username"]) {
    const value = u.attributes[attribute];
    if (value !== undefined) index[attribute] = value.toLowerCase();
  }
  return index;
}

function group(poolId: string, name: string, precedence?: number): GroupRecord {
  return {
    poolId,
    name,
    description: `about ${name}`,
    roleArn: undefined,
    precedence,
    createdAt: T0,
    lastModifiedAt: T0,
  };
}

function code(
  poolId: string,
  username: string,
  purpose: CodeRecord["purpose"],
  codeHash = "hash",
): CodeRecord {
  return { poolId, username, purpose, codeHash, createdAt: T0, expiresAt: T0 + 3_600_000, failedAttempts: 0 };
}

function session(id: string, poolId: string, username: string): SessionRecord {
  return {
    id,
    poolId,
    clientId: "client-1",
    username,
    challenge: "CUSTOM_CHALLENGE",
    data: { history: [{ challengeName: "PASSWORD_VERIFIER", challengeResult: true }] },
    expiresAt: T0 + 180_000,
  };
}

function refreshToken(originJti: string, poolId: string, username: string): RefreshTokenRecord {
  return {
    originJti,
    poolId,
    clientId: "client-1",
    username,
    authTime: T0,
    createdAt: T0,
    expiresAt: T0 + 30 * 86_400_000,
    revoked: false,
  };
}

function signingKey(poolId: string, use: SigningKeyRecord["use"], kid: string): SigningKeyRecord {
  return {
    poolId,
    use,
    kid,
    privateJwk: `{"kid":"${kid}","d":"x"}`,
    publicJwk: `{"kid":"${kid}"}`,
    createdAt: T0,
  };
}

function message(userPoolId: string, username: string, body: string): OutboxMessage {
  return {
    userPoolId,
    username,
    sub: `sub-${username.toLowerCase()}`,
    medium: "EMAIL",
    destination: `${username}@example.com`,
    subject: undefined,
    body,
    code: "123456",
    reason: "SignUp",
    createdAt: T0,
  };
}

/** Follows `next` to the end; refuses to loop forever on a cursor that does not advance. */
async function allPages<T>(
  fetch: (after: string | undefined) => Promise<Page<T>>,
): Promise<{ items: T[]; sizes: number[] }> {
  const items: T[] = [];
  const sizes: number[] = [];
  let after: string | undefined;
  for (let pages = 0; pages < 1000; pages++) {
    const page = await fetch(after);
    items.push(...page.items);
    sizes.push(page.items.length);
    if (page.next === undefined) return { items, sizes };
    expect(page.next).not.toBe(after);
    after = page.next;
  }
  throw new Error("pagination did not end");
}

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 5));

export function describeStoreContract(name: string, factory: () => Promise<Store>): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store;
    const run = <T>(work: (tx: StoreTx) => Promise<T>): Promise<T> => store.transaction(work);
    const addUser = (tx: StoreTx, u: UserRecord) => tx.insertUser(u, keysOf(u), indexOf(u));

    beforeEach(async () => {
      store = await factory();
      await run((tx) => tx.putPool(pool("p1")));
    });

    afterEach(async () => {
      await store.close();
    });

    describe("pools", () => {
      it("puts, gets and replaces a pool; an unknown id finds nothing", async () => {
        expect(await run((tx) => tx.getPool("p1"))).toEqual(pool("p1"));
        await run((tx) => tx.putPool({ ...pool("p1", "renamed"), lastModifiedAt: T0 + 1 }));
        expect(await run((tx) => tx.getPool("p1"))).toEqual({
          ...pool("p1", "renamed"),
          lastModifiedAt: T0 + 1,
        });
        expect(await run((tx) => tx.getPool("nope"))).toBeUndefined();
      });

      it("replacing a pool keeps its clients, users, groups and keys", async () => {
        await run(async (tx) => {
          await tx.putClient(client("p1", "c1"));
          await addUser(tx, user("p1", "alice", { email: "a@x.com" }));
          await tx.putGroup(group("p1", "admins"));
          await tx.addToGroup("p1", "admins", "alice");
          await tx.putSigningKeyIfAbsent(signingKey("p1", "id", "k1"));
        });
        await run((tx) => tx.putPool(pool("p1", "renamed")));
        await run(async (tx) => {
          expect(await tx.getClient("c1")).toEqual(client("p1", "c1"));
          expect((await tx.getUserByAlias("p1", "email:a@x.com"))?.user.username).toBe("alice");
          expect((await tx.listUsersInGroup("p1", "admins", 10, undefined)).items).toHaveLength(1);
          expect(await tx.getSigningKeys("p1")).toHaveLength(1);
        });
      });

      it("hands out copies: changing a record given or returned does not change the store", async () => {
        const given = user("p1", "alice", { email: "a@x.com" });
        const givenPool = pool("p2");
        await run(async (tx) => {
          await tx.putPool(givenPool);
          await addUser(tx, given);
        });
        given.attributes.email = "changed@x.com";
        givenPool.settings.Policies = "changed";
        await run(async (tx) => {
          const got = await tx.getUserByKey("p1", "alice");
          const gotPool = await tx.getPool("p2");
          if (!got || !gotPool) throw new Error("missing");
          got.user.attributes.email = "mutated@x.com";
          got.keys.aliasKeys.push("email:mutated@x.com");
          gotPool.settings.Policies = "mutated";
        });
        await run(async (tx) => {
          const got = await tx.getUserByKey("p1", "alice");
          expect(got?.user.attributes).toEqual({ email: "a@x.com" });
          expect(got?.keys.aliasKeys).toEqual(["email:a@x.com"]);
          expect((await tx.getPool("p2"))?.settings).toEqual(pool("p2").settings);
        });
      });

      it("lists pools by id over pages, with no next after the last page", async () => {
        const ids = ["p6", "p3", "p5", "p2", "p4"];
        await run(async (tx) => {
          for (const id of ids) await tx.putPool(pool(id));
        });
        const { items, sizes } = await allPages((after) => run((tx) => tx.listPools(2, after)));
        expect(items.map((p) => p.id)).toEqual(["p1", "p2", "p3", "p4", "p5", "p6"]);
        expect(sizes).toEqual([2, 2, 2]);
        const whole = await run((tx) => tx.listPools(6, undefined));
        expect(whole.next).toBeUndefined();
        expect((await run((tx) => tx.listPools(5, undefined))).next).toBeDefined();
      });

      it("counts the users of a pool", async () => {
        await run(async (tx) => {
          await tx.putPool(pool("p2"));
          for (const name of ["a", "b", "c"]) await addUser(tx, user("p1", name));
          await addUser(tx, user("p2", "a"));
        });
        expect(await run((tx) => tx.countUsers("p1"))).toBe(3);
        expect(await run((tx) => tx.countUsers("p2"))).toBe(1);
        expect(await run((tx) => tx.countUsers("p3"))).toBe(0);
      });
    });

    describe("clients", () => {
      it("puts, gets, replaces, lists by pool and deletes clients", async () => {
        await run(async (tx) => {
          await tx.putPool(pool("p2"));
          for (const id of ["c3", "c1", "c2"]) await tx.putClient(client("p1", id));
          await tx.putClient(client("p2", "c0"));
          await tx.putClient({ ...client("p1", "c2"), settings: { ClientName: "new" } });
        });
        expect(await run((tx) => tx.getClient("c2"))).toEqual({
          ...client("p1", "c2"),
          settings: { ClientName: "new" },
        });
        const { items, sizes } = await allPages((after) => run((tx) => tx.listClients("p1", 2, after)));
        expect(items.map((c) => c.clientId)).toEqual(["c1", "c2", "c3"]);
        expect(sizes).toEqual([2, 1]);
        await run((tx) => tx.deleteClient("c1"));
        expect(await run((tx) => tx.getClient("c1"))).toBeUndefined();
        expect((await run((tx) => tx.listClients("p1", 10, undefined))).items.map((c) => c.clientId)).toEqual(
          ["c2", "c3"],
        );
      });

      it("refuses a client of an unknown pool", async () => {
        await expect(run((tx) => tx.putClient(client("nope", "c1")))).rejects.toBeInstanceOf(MissingRecord);
        expect(await run((tx) => tx.getClient("c1"))).toBeUndefined();
      });
    });

    describe("users", () => {
      it("finds a user by username key, sub and alias, with its keys", async () => {
        const alice = user("p1", "Alice", { email: "Alice@X.com", preferred_username: "ally" });
        await run((tx) => addUser(tx, alice));
        const expected = {
          user: alice,
          keys: { usernameKey: "alice", aliasKeys: ["email:alice@x.com", "preferred_username:ally"] },
        };
        await run(async (tx) => {
          expect(await tx.getUserByKey("p1", "alice")).toEqual(expected);
          expect(await tx.getUserBySub("p1", "sub-alice")).toEqual(expected);
          expect(await tx.getUserByAlias("p1", "email:alice@x.com")).toEqual(expected);
          expect(await tx.getUserByAlias("p1", "preferred_username:ally")).toEqual(expected);
          expect(await tx.getUserByKey("p1", "Alice")).toBeUndefined();
          expect(await tx.getUserByAlias("p1", "email:nobody@x.com")).toBeUndefined();
          expect(await tx.getUserBySub("p1", "sub-bob")).toBeUndefined();
        });
      });

      it("keeps a user without a password as such", async () => {
        const bob = { ...user("p1", "bob"), password: undefined, status: "FORCE_CHANGE_PASSWORD" as const };
        await run((tx) => addUser(tx, bob));
        const got = await run((tx) => tx.getUserByKey("p1", "bob"));
        expect(got?.user.password).toBeUndefined();
        expect(got?.user.status).toBe("FORCE_CHANGE_PASSWORD");
      });

      it("keeps pools apart: the same username and alias may live in two pools", async () => {
        await run(async (tx) => {
          await tx.putPool(pool("p2"));
          await addUser(tx, user("p1", "alice", { email: "a@x.com", given_name: "One" }));
          await addUser(tx, user("p2", "alice", { email: "a@x.com", given_name: "Two" }));
        });
        await run(async (tx) => {
          expect((await tx.getUserByKey("p1", "alice"))?.user.attributes.given_name).toBe("One");
          expect((await tx.getUserByAlias("p2", "email:a@x.com"))?.user.attributes.given_name).toBe("Two");
          expect(await tx.getUserByKey("p3", "alice")).toBeUndefined();
        });
      });

      it("refuses a user of an unknown pool", async () => {
        await expect(run((tx) => addUser(tx, user("nope", "alice")))).rejects.toBeInstanceOf(MissingRecord);
      });

      it("updateUser replaces the record, the aliases and the index", async () => {
        const alice = user("p1", "alice", { email: "old@x.com", given_name: "Old" });
        await run((tx) => addUser(tx, alice));
        const changed = {
          ...alice,
          attributes: { email: "new@x.com", given_name: "New" },
          lastModifiedAt: T0 + 5,
        };
        await run((tx) => tx.updateUser(changed, keysOf(changed), indexOf(changed)));
        await run(async (tx) => {
          expect(await tx.getUserByAlias("p1", "email:old@x.com")).toBeUndefined();
          expect(await tx.getUserByAlias("p1", "email:new@x.com")).toEqual({
            user: changed,
            keys: { usernameKey: "alice", aliasKeys: ["email:new@x.com"] },
          });
          const byName = (value: string) =>
            tx.listUsers("p1", { attribute: "given_name", op: "=", value }, 10, undefined);
          expect((await byName("old")).items).toEqual([]);
          expect((await byName("new")).items).toEqual([changed]);
        });
        // The freed alias can be taken by someone else.
        await run((tx) => addUser(tx, user("p1", "bob", { email: "old@x.com" })));
      });

      it("refuses to update an unknown user", async () => {
        const ghost = user("p1", "ghost");
        await expect(run((tx) => tx.updateUser(ghost, keysOf(ghost), indexOf(ghost)))).rejects.toBeInstanceOf(
          MissingRecord,
        );
        expect(await run((tx) => tx.getUserByKey("p1", "ghost"))).toBeUndefined();
      });

      it("throws UniqueViolation(username) for a taken username key", async () => {
        await run((tx) => addUser(tx, user("p1", "alice")));
        const clash = { ...user("p1", "ALICE"), sub: "sub-other" };
        const error = await run((tx) => addUser(tx, clash)).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(UniqueViolation);
        expect(error).toMatchObject({ kind: "username", attribute: undefined });
        await expect(
          run((tx) => addUser(tx, { ...user("p1", "alice"), sub: "sub-3" })),
        ).rejects.toMatchObject({
          kind: "username",
        });
        expect(await run((tx) => tx.countUsers("p1"))).toBe(1);
      });

      it("throws UniqueViolation(alias) naming the attribute, and the failed insert leaves nothing", async () => {
        await run((tx) => addUser(tx, user("p1", "alice", { email: "a@x.com", preferred_username: "al" })));
        const bob = user("p1", "bob", { email: "b@x.com", preferred_username: "AL" });
        await run(async (tx) => {
          const error = await addUser(tx, bob).catch((e: unknown) => e);
          expect(error).toBeInstanceOf(UniqueViolation);
          expect(error).toMatchObject({ kind: "alias", attribute: "preferred_username" });
          // The transaction goes on: nothing of bob may be left behind.
          expect(await tx.getUserByKey("p1", "bob")).toBeUndefined();
          expect(await tx.getUserBySub("p1", "sub-bob")).toBeUndefined();
          expect(await tx.getUserByAlias("p1", "email:b@x.com")).toBeUndefined();
          expect((await tx.getUserByAlias("p1", "preferred_username:al"))?.user.username).toBe("alice");
        });
        await expect(
          run((tx) => addUser(tx, user("p1", "carol", { email: "A@X.COM" }))),
        ).rejects.toMatchObject({
          kind: "alias",
          attribute: "email",
        });
        await run((tx) => addUser(tx, user("p1", "bob", { email: "b@x.com" })));
        expect(await run((tx) => tx.countUsers("p1"))).toBe(2);
      });

      it("lets a user keep its own aliases on update, and refuses one held by another user", async () => {
        const alice = user("p1", "alice", { email: "a@x.com", preferred_username: "al" });
        const bob = user("p1", "bob", { email: "b@x.com" });
        await run(async (tx) => {
          await addUser(tx, alice);
          await addUser(tx, bob);
        });
        const renamed = { ...alice, attributes: { ...alice.attributes, given_name: "Alice" } };
        await run((tx) => tx.updateUser(renamed, keysOf(renamed), indexOf(renamed)));
        const stealing = { ...bob, attributes: { email: "b2@x.com", preferred_username: "al" } };
        await run(async (tx) => {
          const error = await tx
            .updateUser(stealing, keysOf(stealing), indexOf(stealing))
            .catch((e: unknown) => e);
          expect(error).toMatchObject({ kind: "alias", attribute: "preferred_username" });
          // The failed update changed nothing.
          expect(await tx.getUserByKey("p1", "bob")).toEqual({ user: bob, keys: keysOf(bob) });
          expect((await tx.getUserByAlias("p1", "email:b@x.com"))?.user.username).toBe("bob");
          expect(await tx.getUserByAlias("p1", "email:b2@x.com")).toBeUndefined();
        });
      });

      it("does not trip over the same alias listed twice for one user", async () => {
        const alice = user("p1", "alice", { email: "a@x.com" });
        await run((tx) =>
          tx.insertUser(alice, { usernameKey: "alice", aliasKeys: ["email:a@x.com", "email:a@x.com"] }, {}),
        );
        expect((await run((tx) => tx.getUserByAlias("p1", "email:a@x.com")))?.keys.aliasKeys).toEqual([
          "email:a@x.com",
        ]);
      });

      it("releaseAlias frees an alias and says who held it", async () => {
        await run((tx) => addUser(tx, user("p1", "alice", { email: "a@x.com", preferred_username: "al" })));
        expect(await run((tx) => tx.releaseAlias("p1", "email:a@x.com"))).toBe("alice");
        await run(async (tx) => {
          expect(await tx.getUserByAlias("p1", "email:a@x.com")).toBeUndefined();
          expect((await tx.getUserByKey("p1", "alice"))?.keys.aliasKeys).toEqual(["preferred_username:al"]);
          expect(await tx.releaseAlias("p1", "email:a@x.com")).toBeUndefined();
          expect(await tx.releaseAlias("p2", "preferred_username:al")).toBeUndefined();
        });
        await run((tx) => addUser(tx, user("p1", "bob", { email: "a@x.com" })));
        expect((await run((tx) => tx.getUserByAlias("p1", "email:a@x.com")))?.user.username).toBe("bob");
      });

      it("lets exactly one of 50 concurrent inserts of one username key succeed", async () => {
        // 50 spellings of one case-insensitive name, each with its own sub.
        const spellings = Array.from({ length: 50 }, (_, i) =>
          [..."username"].map((c, bit) => ((i >> bit) & 1 ? c.toUpperCase() : c)).join(""),
        );
        expect(new Set(spellings).size).toBe(50);
        const results = await Promise.allSettled(
          spellings.map((name) => run((tx) => addUser(tx, user("p1", name)))),
        );
        const failures = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
        expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
        expect(failures).toHaveLength(49);
        for (const failure of failures) expect(failure.reason).toMatchObject({ kind: "username" });
        expect(await run((tx) => tx.countUsers("p1"))).toBe(1);
      });

      it("deleteUser removes the user with aliases, index rows, memberships, codes, sessions and tokens", async () => {
        await run(async (tx) => {
          await tx.putGroup(group("p1", "admins"));
          for (const name of ["alice", "bob"]) {
            await addUser(tx, user("p1", name, { email: `${name}@x.com` }));
            await tx.addToGroup("p1", "admins", name);
            await tx.putCode(code("p1", name, "signup"));
            await tx.putSession(session(`s-${name}`, "p1", name));
            await tx.putRefreshToken(refreshToken(`r-${name}`, "p1", name));
          }
        });
        await run((tx) => tx.deleteUser("p1", "alice"));
        await run(async (tx) => {
          expect(await tx.getUserByKey("p1", "alice")).toBeUndefined();
          expect(await tx.getUserBySub("p1", "sub-alice")).toBeUndefined();
          expect(await tx.getUserByAlias("p1", "email:alice@x.com")).toBeUndefined();
          expect(
            (await tx.listUsersInGroup("p1", "admins", 10, undefined)).items.map((u) => u.username),
          ).toEqual(["bob"]);
          expect(await tx.getCode("p1", "alice", "signup")).toBeUndefined();
          expect(await tx.takeSession("s-alice")).toBeUndefined();
          expect(await tx.getRefreshToken("r-alice")).toBeUndefined();
          const byEmail = await tx.listUsers(
            "p1",
            { attribute: "email", op: "^=", value: "" },
            10,
            undefined,
          );
          expect(byEmail.items.map((u) => u.username)).toEqual(["bob"]);
          expect(await tx.countUsers("p1")).toBe(1);
          // Bob keeps everything.
          expect(await tx.getCode("p1", "bob", "signup")).toBeDefined();
          expect(await tx.takeSession("s-bob")).toBeDefined();
          expect(await tx.getRefreshToken("r-bob")).toBeDefined();
          expect((await tx.listGroupsForUser("p1", "bob", 10, undefined)).items).toHaveLength(1);
        });
        // The username and alias are free again, and the new user starts with no memberships.
        await run((tx) => addUser(tx, user("p1", "alice", { email: "alice@x.com" })));
        expect((await run((tx) => tx.listGroupsForUser("p1", "alice", 10, undefined))).items).toEqual([]);
      });
    });

    describe("listUsers", () => {
      const names = (page: Page<UserRecord>) => page.items.map((u) => u.username);
      const seed = (users: UserRecord[]) =>
        run(async (tx) => {
          for (const u of users) await addUser(tx, u);
        });

      it("without a filter lists the pool's users by username over pages", async () => {
        await run((tx) => tx.putPool(pool("p2")));
        await seed([..."edcba"].map((n) => user("p1", n)).concat(user("p2", "aa")));
        const { items, sizes } = await allPages((after) =>
          run((tx) => tx.listUsers("p1", undefined, 2, after)),
        );
        expect(items.map((u) => u.username)).toEqual(["a", "b", "c", "d", "e"]);
        expect(sizes).toEqual([2, 2, 1]);
        expect(items[0]).toEqual(user("p1", "a"));
      });

      it("= matches the whole value only, ordered by username, skipping users without the attribute", async () => {
        await seed([
          user("p1", "dave", { given_name: "Ann" }),
          user("p1", "bob", { given_name: "ann" }),
          user("p1", "carol", { given_name: "Anna" }),
          user("p1", "alice"),
          user("p1", "erin", { given_name: "ANN" }),
        ]);
        const filter: UserFilter = { attribute: "given_name", op: "=", value: "ann" };
        const { items, sizes } = await allPages((after) => run((tx) => tx.listUsers("p1", filter, 2, after)));
        expect(items.map((u) => u.username)).toEqual(["bob", "dave", "erin"]);
        expect(sizes).toEqual([2, 1]);
        const none = await run((tx) =>
          tx.listUsers("p1", { attribute: "given_name", op: "=", value: "an" }, 5, undefined),
        );
        expect(names(none)).toEqual([]);
        expect(none.next).toBeUndefined();
      });

      it("^= matches prefixes, ordered by value then username", async () => {
        await seed([
          user("p1", "u1", { email: "b@x.com" }),
          user("p1", "u2", { email: "a@y.com" }),
          user("p1", "u3", { email: "ab@x.com" }),
          user("p1", "u4", { email: "a@x.com" }),
          user("p1", "u5"),
          user("p1", "u6", { family_name: "a" }),
        ]);
        const filter: UserFilter = { attribute: "email", op: "^=", value: "a" };
        const page = await run((tx) => tx.listUsers("p1", filter, 10, undefined));
        expect(names(page)).toEqual(["u4", "u2", "u3"]);
        const everyone = await run((tx) =>
          tx.listUsers("p1", { attribute: "email", op: "^=", value: "" }, 10, undefined),
        );
        expect(names(everyone)).toEqual(["u4", "u2", "u3", "u1"]);
        const bySub = await run((tx) =>
          tx.listUsers("p1", { attribute: "sub", op: "=", value: "sub-u3" }, 10, undefined),
        );
        expect(names(bySub)).toEqual(["u3"]);
      });

      it("orders by code point and matches prefixes followed by any character", async () => {
        // U+FFFD sorts before U+1F600 by code point (and in SQLite), but after it in UTF-16 units.
        await seed([
          user("p1", "u1", { family_name: "a\u{1F600}" }),
          user("p1", "u2", { family_name: "a\u{FFFD}" }),
          user("p1", "u3", { family_name: "ab" }),
          user("p1", "u4", { family_name: "a" }),
          user("p1", "u5", { family_name: "b" }),
          user("p1", "u6", { family_name: "\u{1F600}" }),
        ]);
        const list = (value: string) =>
          run((tx) => tx.listUsers("p1", { attribute: "family_name", op: "^=", value }, 10, undefined));
        expect(names(await list("a"))).toEqual(["u4", "u3", "u2", "u1"]);
        expect(names(await list("a\u{FFFD}"))).toEqual(["u2"]);
        expect(names(await list("\u{1F600}"))).toEqual(["u6"]);
        expect(names(await list(""))).toEqual(["u4", "u3", "u2", "u1", "u5", "u6"]);
      });

      it("pages a filtered list of many users with no duplicates and none missing", async () => {
        const users = Array.from({ length: 150 }, (_, i) =>
          user("p1", `user${String(i).padStart(3, "0")}`, {
            // Few distinct values, so pages break inside runs of equal values.
            given_name: `${i % 3 === 0 ? "zed" : "ann"}${i % 7}`,
          }),
        );
        await seed(users);
        const filter: UserFilter = { attribute: "given_name", op: "^=", value: "ann" };
        const expected = users
          .filter((u) => u.attributes.given_name?.startsWith("ann"))
          .map((u) => [u.attributes.given_name ?? "", u.username] as const)
          .sort(([va, ua], [vb, ub]) => (va === vb ? (ua < ub ? -1 : 1) : va < vb ? -1 : 1))
          .map(([, username]) => username);
        expect(expected).toHaveLength(100);
        const { items, sizes } = await allPages((after) => run((tx) => tx.listUsers("p1", filter, 7, after)));
        expect(items.map((u) => u.username)).toEqual(expected);
        expect(sizes).toEqual([...Array(14).fill(7), 2]);
        const unfiltered = await allPages((after) => run((tx) => tx.listUsers("p1", undefined, 60, after)));
        expect(unfiltered.sizes).toEqual([60, 60, 30]);
        expect(new Set(unfiltered.items.map((u) => u.username)).size).toBe(150);
      });

      it("refuses cursors it did not make for that listing", async () => {
        await run(async (tx) => {
          await tx.putPool(pool("p2"));
          for (const n of ["a", "b", "c"]) await addUser(tx, user("p1", n, { email: `${n}@x.com` }));
        });
        const poolsCursor = (await run((tx) => tx.listPools(1, undefined))).next;
        const usersCursor = (await run((tx) => tx.listUsers("p1", undefined, 1, undefined))).next;
        expect(poolsCursor).toBeDefined();
        expect(usersCursor).toBeDefined();
        const filter: UserFilter = { attribute: "email", op: "^=", value: "" };
        await expect(run((tx) => tx.listUsers("p1", undefined, 1, poolsCursor))).rejects.toBeInstanceOf(
          InvalidCursor,
        );
        await expect(run((tx) => tx.listUsers("p1", filter, 1, usersCursor))).rejects.toBeInstanceOf(
          InvalidCursor,
        );
        await expect(run((tx) => tx.listUsers("p1", undefined, 1, "garbage!"))).rejects.toBeInstanceOf(
          InvalidCursor,
        );
        await expect(run((tx) => tx.listGroups("p1", 1, usersCursor))).rejects.toBeInstanceOf(InvalidCursor);
        const emailCursor = (await run((tx) => tx.listUsers("p1", filter, 1, undefined))).next;
        expect(emailCursor).toBeDefined();
        const otherPrefix: UserFilter = { attribute: "email", op: "^=", value: "b" };
        await expect(run((tx) => tx.listUsers("p1", otherPrefix, 1, emailCursor))).rejects.toBeInstanceOf(
          InvalidCursor,
        );
      });
    });

    describe("groups", () => {
      it("puts, gets, replaces, lists and deletes groups; deleting one ends its memberships", async () => {
        await run(async (tx) => {
          for (const name of ["writers", "admins", "readers"]) await tx.putGroup(group("p1", name));
          await tx.putGroup({ ...group("p1", "readers", 3), roleArn: "arn:aws:iam::000000000000:role/r" });
          await addUser(tx, user("p1", "alice"));
          await tx.addToGroup("p1", "readers", "alice");
        });
        expect(await run((tx) => tx.getGroup("p1", "readers"))).toEqual({
          ...group("p1", "readers", 3),
          roleArn: "arn:aws:iam::000000000000:role/r",
        });
        expect(await run((tx) => tx.getGroup("p1", "admins"))).toEqual(group("p1", "admins"));
        const { items, sizes } = await allPages((after) => run((tx) => tx.listGroups("p1", 2, after)));
        expect(items.map((g) => g.name)).toEqual(["admins", "readers", "writers"]);
        expect(sizes).toEqual([2, 1]);
        // Replacing a group keeps its members.
        expect((await run((tx) => tx.listUsersInGroup("p1", "readers", 5, undefined))).items).toHaveLength(1);
        await run((tx) => tx.deleteGroup("p1", "readers"));
        await run(async (tx) => {
          expect(await tx.getGroup("p1", "readers")).toBeUndefined();
          expect((await tx.listGroupsForUser("p1", "alice", 5, undefined)).items).toEqual([]);
        });
        // A new group of the same name starts empty.
        await run((tx) => tx.putGroup(group("p1", "readers")));
        expect((await run((tx) => tx.listUsersInGroup("p1", "readers", 5, undefined))).items).toEqual([]);
      });

      it("adds and removes members; lists a user's groups by name and a group's users by username", async () => {
        await run(async (tx) => {
          for (const name of ["g3", "g1", "g2", "g4"]) await tx.putGroup(group("p1", name));
          for (const name of ["carol", "alice", "bob"]) await addUser(tx, user("p1", name));
          for (const name of ["g3", "g1", "g2"]) await tx.addToGroup("p1", name, "alice");
          await tx.addToGroup("p1", "g1", "alice");
          for (const name of ["carol", "bob"]) await tx.addToGroup("p1", "g1", name);
        });
        const groups = await allPages((after) => run((tx) => tx.listGroupsForUser("p1", "alice", 2, after)));
        expect(groups.items).toEqual([group("p1", "g1"), group("p1", "g2"), group("p1", "g3")]);
        expect(groups.sizes).toEqual([2, 1]);
        const members = await allPages((after) => run((tx) => tx.listUsersInGroup("p1", "g1", 2, after)));
        expect(members.items.map((u) => u.username)).toEqual(["alice", "bob", "carol"]);
        expect(members.items[0]).toEqual(user("p1", "alice"));
        await run((tx) => tx.removeFromGroup("p1", "g1", "bob"));
        await run((tx) => tx.removeFromGroup("p1", "g4", "bob"));
        expect(
          (await run((tx) => tx.listUsersInGroup("p1", "g1", 5, undefined))).items.map((u) => u.username),
        ).toEqual(["alice", "carol"]);
        expect((await run((tx) => tx.listGroupsForUser("p1", "bob", 5, undefined))).items).toEqual([]);
      });

      it("refuses memberships of an unknown group or user, and groups of an unknown pool", async () => {
        await run(async (tx) => {
          await tx.putGroup(group("p1", "g1"));
          await addUser(tx, user("p1", "alice"));
        });
        await expect(run((tx) => tx.addToGroup("p1", "nope", "alice"))).rejects.toBeInstanceOf(MissingRecord);
        await expect(run((tx) => tx.addToGroup("p1", "g1", "nobody"))).rejects.toBeInstanceOf(MissingRecord);
        await expect(run((tx) => tx.putGroup(group("nope", "g1")))).rejects.toBeInstanceOf(MissingRecord);
        expect((await run((tx) => tx.listUsersInGroup("p1", "g1", 5, undefined))).items).toEqual([]);
      });
    });

    describe("codes", () => {
      it("keeps one code per user and purpose, replaced by a new one, deleted on demand", async () => {
        await run(async (tx) => {
          await addUser(tx, user("p1", "alice"));
          await tx.putCode(code("p1", "alice", "signup", "h1"));
          await tx.putCode(code("p1", "alice", "verify:email", "h2"));
          await tx.putCode({ ...code("p1", "alice", "signup", "h3"), failedAttempts: 2 });
        });
        await run(async (tx) => {
          expect(await tx.getCode("p1", "alice", "signup")).toEqual({
            ...code("p1", "alice", "signup", "h3"),
            failedAttempts: 2,
          });
          expect(await tx.getCode("p1", "alice", "verify:email")).toEqual(
            code("p1", "alice", "verify:email", "h2"),
          );
          expect(await tx.getCode("p1", "alice", "forgot-password")).toBeUndefined();
          await tx.deleteCode("p1", "alice", "signup");
          expect(await tx.getCode("p1", "alice", "signup")).toBeUndefined();
          expect(await tx.getCode("p1", "alice", "verify:email")).toBeDefined();
        });
      });

      it("refuses a code of an unknown user", async () => {
        await expect(run((tx) => tx.putCode(code("p1", "nobody", "signup")))).rejects.toBeInstanceOf(
          MissingRecord,
        );
      });
    });

    describe("sessions", () => {
      it("a session can be taken once", async () => {
        await run((tx) => tx.putSession(session("s1", "p1", "alice")));
        expect(await run((tx) => tx.takeSession("s1"))).toEqual(session("s1", "p1", "alice"));
        expect(await run((tx) => tx.takeSession("s1"))).toBeUndefined();
        expect(await run((tx) => tx.takeSession("never"))).toBeUndefined();
      });

      it("a session taken in a transaction that fails is still there", async () => {
        await run((tx) => tx.putSession(session("s1", "p1", "alice")));
        await expect(
          run(async (tx) => {
            expect(await tx.takeSession("s1")).toBeDefined();
            throw new Error("later step failed");
          }),
        ).rejects.toThrow("later step failed");
        expect(await run((tx) => tx.takeSession("s1"))).toEqual(session("s1", "p1", "alice"));
      });
    });

    describe("refresh tokens", () => {
      it("revokes one token, or every token of one user in one pool", async () => {
        await run(async (tx) => {
          await tx.putPool(pool("p2"));
          for (const name of ["alice", "bob"]) await addUser(tx, user("p1", name));
          await addUser(tx, user("p2", "alice"));
          for (const jti of ["a1", "a2", "a3"]) await tx.putRefreshToken(refreshToken(jti, "p1", "alice"));
          await tx.putRefreshToken(refreshToken("b1", "p1", "bob"));
          await tx.putRefreshToken(refreshToken("x1", "p2", "alice"));
        });
        expect(await run((tx) => tx.getRefreshToken("a1"))).toEqual(refreshToken("a1", "p1", "alice"));
        await run((tx) => tx.revokeRefreshToken("a1"));
        const revoked = async (jti: string) => (await run((tx) => tx.getRefreshToken(jti)))?.revoked;
        expect(await revoked("a1")).toBe(true);
        expect(await revoked("a2")).toBe(false);
        await run((tx) => tx.revokeUserRefreshTokens("p1", "alice"));
        expect([await revoked("a2"), await revoked("a3")]).toEqual([true, true]);
        expect([await revoked("b1"), await revoked("x1")]).toEqual([false, false]);
        expect(await run((tx) => tx.getRefreshToken("none"))).toBeUndefined();
      });
    });

    describe("signing keys and secrets", () => {
      it("keeps the first signing key of each use and lists a pool's keys", async () => {
        const first = await run((tx) => tx.putSigningKeyIfAbsent(signingKey("p1", "id", "k1")));
        expect(first).toEqual(signingKey("p1", "id", "k1"));
        const second = await run((tx) => tx.putSigningKeyIfAbsent(signingKey("p1", "id", "k2")));
        expect(second).toEqual(signingKey("p1", "id", "k1"));
        await run(async (tx) => {
          await tx.putPool(pool("p2"));
          await tx.putSigningKeyIfAbsent(signingKey("p1", "access", "k3"));
          await tx.putSigningKeyIfAbsent(signingKey("p2", "id", "k4"));
        });
        const keys = await run((tx) => tx.getSigningKeys("p1"));
        expect(keys.map((k) => k.kid).sort()).toEqual(["k1", "k3"]);
        expect(keys.find((k) => k.use === "access")).toEqual(signingKey("p1", "access", "k3"));
        expect(await run((tx) => tx.getSigningKeys("p3"))).toEqual([]);
        await expect(
          run((tx) => tx.putSigningKeyIfAbsent(signingKey("p3", "id", "k5"))),
        ).rejects.toBeInstanceOf(MissingRecord);
      });

      it("creates a secret once and returns it after", async () => {
        let calls = 0;
        const create = () => `secret-${++calls}`;
        expect(await run((tx) => tx.getOrCreateSecret("srp", create))).toBe("secret-1");
        expect(await run((tx) => tx.getOrCreateSecret("srp", create))).toBe("secret-1");
        expect(calls).toBe(1);
        expect(await run((tx) => tx.getOrCreateSecret("other", create))).toBe("secret-2");
      });

      it("forgets a secret created in a transaction that fails", async () => {
        await expect(
          run(async (tx) => {
            await tx.getOrCreateSecret("srp", () => "lost");
            throw new Error("boom");
          }),
        ).rejects.toThrow("boom");
        expect(await run((tx) => tx.getOrCreateSecret("srp", () => "kept"))).toBe("kept");
      });
    });

    describe("counters", () => {
      it("counts within a window and starts again when the window moves past it", async () => {
        const inc = (key: string, windowStart: number, now: number) =>
          run((tx) => tx.incrementCounter(key, windowStart, now));
        expect(await inc("k", 0, 1000)).toBe(1);
        expect(await inc("k", 500, 1100)).toBe(2);
        // The stored window started at 1000: a window starting there is the same window.
        expect(await inc("k", 1000, 1200)).toBe(3);
        expect(await inc("other", 0, 1200)).toBe(1);
        // A window starting after 1000 resets: the count restarts and the window now starts at 1300.
        expect(await inc("k", 1001, 1300)).toBe(1);
        expect(await inc("k", 1300, 1400)).toBe(2);
        expect(await inc("k", 1301, 1500)).toBe(1);
        await run((tx) => tx.resetCounter("k"));
        expect(await inc("k", 0, 1600)).toBe(1);
        expect(await inc("other", 0, 1600)).toBe(2);
      });
    });

    describe("outbox", () => {
      it("lists messages oldest first, by pool and by username or sub", async () => {
        await run(async (tx) => {
          await tx.addOutboxMessage(message("p1", "alice", "m1"));
          await tx.addOutboxMessage(message("p2", "alice", "m2"));
          await tx.addOutboxMessage({ ...message("p1", "bob", "m3"), username: "uuid-bob", sub: "uuid-bob" });
        });
        await run((tx) => tx.addOutboxMessage({ ...message("p1", "carol", "m4"), sub: "sub-of-carol" }));
        const bodies = async (filter: { userPoolId?: string; username?: string }) =>
          (await run((tx) => tx.listOutbox(filter))).map((m) => m.body);
        expect(await bodies({})).toEqual(["m1", "m2", "m3", "m4"]);
        expect(await bodies({ userPoolId: "p1" })).toEqual(["m1", "m3", "m4"]);
        expect(await bodies({ username: "alice" })).toEqual(["m1", "m2"]);
        expect(await bodies({ userPoolId: "p2", username: "alice" })).toEqual(["m2"]);
        expect(await bodies({ username: "sub-of-carol" })).toEqual(["m4"]);
        expect(await bodies({ username: "carol" })).toEqual(["m4"]);
        expect(await bodies({ userPoolId: "p9" })).toEqual([]);
        const all = await run((tx) => tx.listOutbox({}));
        const ids = all.map((m) => m.id ?? 0);
        expect(ids.every((id) => Number.isInteger(id) && id > 0)).toBe(true);
        expect([...ids].sort((a, b) => a - b)).toEqual(ids);
        expect(new Set(ids).size).toBe(4);
        expect(all[0]).toEqual({ ...message("p1", "alice", "m1"), id: ids[0] });
      });
    });

    describe("purgeExpired", () => {
      const DAY = 86_400_000;
      const NONE = { sessions: 0, codes: 0, refreshTokens: 0, counters: 0, logEvents: 0 };
      const purge = (now: number, logRetentionMs = 7 * DAY) =>
        run((tx) => tx.purgeExpired(now, { logRetentionMs }));

      it("deletes sessions only once EXPIRED_KEPT_MS past their expiry, and keeps live ones", async () => {
        const at = (id: string, expiresAt: number) => ({ ...session(id, "p1", "alice"), expiresAt });
        await run(async (tx) => {
          await tx.putSession(at("live", T0 + 1));
          await tx.putSession(at("just-expired", T0));
          await tx.putSession(at("long-expired", T0 - EXPIRED_KEPT_MS));
        });
        expect(await purge(T0)).toEqual({ ...NONE, sessions: 1 });
        await run(async (tx) => {
          expect(await tx.takeSession("long-expired")).toBeUndefined();
          expect(await tx.takeSession("just-expired")).toEqual(at("just-expired", T0));
          expect(await tx.takeSession("live")).toEqual(at("live", T0 + 1));
        });
      });

      it("deletes codes once expired and keeps live ones", async () => {
        await run(async (tx) => {
          await addUser(tx, user("p1", "alice"));
          await tx.putCode({ ...code("p1", "alice", "signup"), expiresAt: T0 });
          await tx.putCode({ ...code("p1", "alice", "forgot-password"), expiresAt: T0 + 1 });
        });
        expect(await purge(T0 - 1)).toEqual(NONE);
        expect(await purge(T0)).toEqual({ ...NONE, codes: 1 });
        await run(async (tx) => {
          expect(await tx.getCode("p1", "alice", "signup")).toBeUndefined();
          expect(await tx.getCode("p1", "alice", "forgot-password")).toBeDefined();
        });
      });

      it("keeps refresh tokens, revoked or not, until EXPIRED_KEPT_MS past their expiry", async () => {
        const token = (jti: string, expiresAt: number, revoked: boolean) => ({
          ...refreshToken(jti, "p1", "alice"),
          expiresAt,
          revoked,
        });
        await run(async (tx) => {
          await addUser(tx, user("p1", "alice"));
          await tx.putRefreshToken(token("live-revoked", T0 + DAY, true));
          await tx.putRefreshToken(token("expired", T0 - EXPIRED_KEPT_MS + 1, false));
          await tx.putRefreshToken(token("gone", T0 - EXPIRED_KEPT_MS, false));
          await tx.putRefreshToken(token("gone-revoked", T0 - EXPIRED_KEPT_MS - 1, true));
        });
        expect(await purge(T0)).toEqual({ ...NONE, refreshTokens: 2 });
        await run(async (tx) => {
          expect(await tx.getRefreshToken("gone")).toBeUndefined();
          expect(await tx.getRefreshToken("gone-revoked")).toBeUndefined();
          expect(await tx.getRefreshToken("expired")).toEqual(
            token("expired", T0 - EXPIRED_KEPT_MS + 1, false),
          );
          expect((await tx.getRefreshToken("live-revoked"))?.revoked).toBe(true);
        });
      });

      it("deletes counters whose window began over COUNTER_KEPT_MS ago; the others keep counting", async () => {
        await run(async (tx) => {
          await tx.incrementCounter("old", 0, T0 - COUNTER_KEPT_MS - 1);
          await tx.incrementCounter("recent", 0, T0 - COUNTER_KEPT_MS);
          await tx.incrementCounter("recent", 0, T0);
        });
        expect(await purge(T0)).toEqual({ ...NONE, counters: 1 });
        expect(await run((tx) => tx.incrementCounter("recent", 0, T0))).toBe(3);
        expect(await run((tx) => tx.incrementCounter("old", 0, T0))).toBe(1);
      });

      it("deletes log events older than the retention; streams and groups stay with fewer stored bytes", async () => {
        const G = "/aws/lambda/f";
        await run(async (tx) => {
          await tx.appendLogEvents(G, "s1", [{ timestamp: T0 - 10, message: "old" }], T0);
          await tx.appendLogEvents(G, "s2", [{ timestamp: T0 - 10, message: "older\u00e9" }], T0);
          await tx.appendLogEvents(G, "s2", [{ timestamp: T0 - 9, message: "kept" }], T0);
        });
        expect(await purge(T0, 10)).toEqual(NONE);
        expect(await purge(T0, 9)).toEqual({ ...NONE, logEvents: 2 });
        await run(async (tx) => {
          expect(await tx.getLogGroup(G)).toMatchObject({ storedBytes: 4 + 26 });
          expect(await tx.getLogStream(G, "s1")).toMatchObject({ storedBytes: 0 });
          expect(await tx.getLogStream(G, "s2")).toMatchObject({ storedBytes: 4 + 26 });
          const left = await tx.filterLogEvents(G, { limit: 10, after: undefined });
          expect(left.items.map((e) => e.message)).toEqual(["kept"]);
        });
      });

      it("touches no user, pool or other record, and finds nothing the second time", async () => {
        await run(async (tx) => {
          await addUser(tx, user("p1", "alice"));
          await tx.putSession({ ...session("s", "p1", "alice"), expiresAt: 0 });
          await tx.addOutboxMessage(message("p1", "alice", "m"));
        });
        expect(await purge(T0 + 400 * DAY)).toEqual({ ...NONE, sessions: 1 });
        expect(await purge(T0 + 400 * DAY)).toEqual(NONE);
        await run(async (tx) => {
          expect(await tx.getPool("p1")).toEqual(pool("p1"));
          expect(await tx.countUsers("p1")).toBe(1);
          expect(await tx.listOutbox({})).toHaveLength(1);
        });
      });
    });

    describe("deletePool", () => {
      it("removes everything of the pool and nothing of another", async () => {
        const fill = (poolId: string) =>
          run(async (tx) => {
            await tx.putPool(pool(poolId));
            await tx.putClient(client(poolId, `${poolId}-c`));
            await addUser(tx, user(poolId, "alice", { email: "a@x.com" }));
            await tx.putGroup(group(poolId, "g"));
            await tx.addToGroup(poolId, "g", "alice");
            await tx.putCode(code(poolId, "alice", "signup"));
            await tx.putSession(session(`${poolId}-s`, poolId, "alice"));
            await tx.putRefreshToken(refreshToken(`${poolId}-r`, poolId, "alice"));
            await tx.putSigningKeyIfAbsent(signingKey(poolId, "id", `${poolId}-k`));
            await tx.addOutboxMessage(message(poolId, "alice", `${poolId}-m`));
          });
        await fill("pa");
        await fill("pb");
        await run((tx) => tx.deletePool("pa"));
        const contents = (poolId: string) =>
          run(async (tx) => ({
            pool: await tx.getPool(poolId),
            client: await tx.getClient(`${poolId}-c`),
            user: await tx.getUserByKey(poolId, "alice"),
            alias: await tx.getUserByAlias(poolId, "email:a@x.com"),
            users: (await tx.listUsers(poolId, undefined, 10, undefined)).items.length,
            indexed: (
              await tx.listUsers(poolId, { attribute: "email", op: "=", value: "a@x.com" }, 10, undefined)
            ).items.length,
            group: await tx.getGroup(poolId, "g"),
            memberships: (await tx.listGroupsForUser(poolId, "alice", 10, undefined)).items.length,
            code: await tx.getCode(poolId, "alice", "signup"),
            refresh: await tx.getRefreshToken(`${poolId}-r`),
            keys: (await tx.getSigningKeys(poolId)).length,
            outbox: (await tx.listOutbox({ userPoolId: poolId })).length,
            session: await tx.takeSession(`${poolId}-s`),
          }));
        expect(await contents("pa")).toEqual({
          pool: undefined,
          client: undefined,
          user: undefined,
          alias: undefined,
          users: 0,
          indexed: 0,
          group: undefined,
          memberships: 0,
          code: undefined,
          refresh: undefined,
          keys: 0,
          outbox: 0,
          session: undefined,
        });
        const kept = await contents("pb");
        expect(kept).toMatchObject({ users: 1, indexed: 1, memberships: 1, keys: 1, outbox: 1 });
        for (const key of [
          "pool",
          "client",
          "user",
          "alias",
          "group",
          "code",
          "refresh",
          "session",
        ] as const) {
          expect(kept[key], key).toBeDefined();
        }
        // The pool id can be used again from scratch.
        await run(async (tx) => {
          await tx.putPool(pool("pa"));
          await addUser(tx, user("pa", "alice", { email: "a@x.com" }));
        });
      });
    });

    describe("transactions", () => {
      it("returns what work returns, and a later transaction sees the commit", async () => {
        expect(await run(async (tx) => (await tx.getPool("p1"))?.name)).toBe("name-p1");
        await run((tx) => tx.putPool(pool("p2")));
        expect(await run((tx) => tx.getPool("p2"))).toEqual(pool("p2"));
      });

      it("is all-or-nothing: a throw after many writes leaves none of them, and the error comes out as is", async () => {
        await run(async (tx) => {
          await addUser(tx, user("p1", "old", { email: "old@x.com" }));
          await tx.putGroup(group("p1", "g"));
          await tx.addToGroup("p1", "g", "old");
        });
        const failure = new Error("step 13 failed");
        const error = await run(async (tx) => {
          await tx.putPool(pool("p2"));
          await tx.putPool(pool("p1", "renamed"));
          await tx.putClient(client("p2", "c1"));
          await addUser(tx, user("p2", "alice", { email: "a@x.com" }));
          await tx.putGroup(group("p2", "g"));
          await tx.addToGroup("p2", "g", "alice");
          await tx.putCode(code("p2", "alice", "signup"));
          await tx.putSession(session("s1", "p2", "alice"));
          await tx.putRefreshToken(refreshToken("r1", "p2", "alice"));
          await tx.putSigningKeyIfAbsent(signingKey("p2", "id", "k1"));
          await tx.incrementCounter("c", 0, 1);
          await tx.addOutboxMessage(message("p2", "alice", "m"));
          await tx.deleteUser("p1", "old");
          await tx.deleteGroup("p1", "g");
          throw failure;
        }).catch((e: unknown) => e);
        expect(error).toBe(failure);
        await run(async (tx) => {
          expect(await tx.getPool("p2")).toBeUndefined();
          expect(await tx.getPool("p1")).toEqual(pool("p1"));
          expect(await tx.getClient("c1")).toBeUndefined();
          expect(await tx.getUserByKey("p2", "alice")).toBeUndefined();
          expect(await tx.getGroup("p2", "g")).toBeUndefined();
          expect(await tx.takeSession("s1")).toBeUndefined();
          expect(await tx.getRefreshToken("r1")).toBeUndefined();
          expect(await tx.getSigningKeys("p2")).toEqual([]);
          expect(await tx.listOutbox({})).toEqual([]);
          // The deleted user and group are back whole.
          expect(await tx.getUserByAlias("p1", "email:old@x.com")).toEqual({
            user: user("p1", "old", { email: "old@x.com" }),
            keys: { usernameKey: "old", aliasKeys: ["email:old@x.com"] },
          });
          expect((await tx.listUsersInGroup("p1", "g", 5, undefined)).items.map((u) => u.username)).toEqual([
            "old",
          ]);
          const indexed = await tx.listUsers(
            "p1",
            { attribute: "email", op: "=", value: "old@x.com" },
            5,
            undefined,
          );
          expect(indexed.items).toHaveLength(1);
        });
        // The counter starts from nothing: its increment was rolled back too.
        expect(await run((tx) => tx.incrementCounter("c", 0, 1))).toBe(1);
      });

      it("serialises: concurrent read-modify-write transactions lose no update", async () => {
        const bump = () =>
          run(async (tx) => {
            const count = Number((await tx.getPool("p1"))?.name.replace("count-", ""));
            // Another transaction running now would read the same count and one increment would be lost.
            await tick();
            await tx.putPool(pool("p1", `count-${count + 1}`));
          });
        await run((tx) => tx.putPool(pool("p1", "count-0")));
        await Promise.all([bump(), bump(), bump()]);
        expect((await run((tx) => tx.getPool("p1")))?.name).toBe("count-3");
      });

      it("runs waiting transactions in the order they were asked for, one at a time", async () => {
        const events: string[] = [];
        await Promise.all(
          [0, 1, 2, 3, 4].map((i) =>
            run(async () => {
              events.push(`start ${i}`);
              await tick();
              events.push(`end ${i}`);
            }),
          ),
        );
        expect(events).toEqual([0, 1, 2, 3, 4].flatMap((i) => [`start ${i}`, `end ${i}`]));
      });

      it("goes on after a failed transaction", async () => {
        await expect(run(async () => Promise.reject(new Error("first fails")))).rejects.toThrow(
          "first fails",
        );
        await run((tx) => tx.putPool(pool("p2")));
        expect(await run((tx) => tx.getPool("p2"))).toBeDefined();
      });

      it("refuses a tx used after its transaction ended", async () => {
        let kept: StoreTx | undefined;
        await run(async (tx) => {
          kept = tx;
        });
        if (!kept) throw new Error("no tx");
        const leaked = kept;
        await expect(leaked.putPool(pool("p2"))).rejects.toThrow();
        await expect(leaked.getPool("p1")).rejects.toThrow();
        // Not even while another transaction is open: its writes would land in that one.
        await run(async () => {
          await expect(leaked.putPool(pool("p2"))).rejects.toThrow();
        });
        expect(await run((tx) => tx.getPool("p2"))).toBeUndefined();
      });

      it("refuses a transaction started inside another instead of waiting for itself", async () => {
        const inner = await run(async () => run(async () => "inner ran").catch((e: unknown) => e));
        expect(inner).toBeInstanceOf(Error);
        // Work that outlives its transaction may start a new one.
        let later: Promise<unknown> = Promise.resolve();
        await run(async () => {
          later = tick().then(() => run((tx) => tx.getPool("p1")));
        });
        expect(await later).toEqual(pool("p1"));
      });

      it("close waits for running transactions and refuses new ones", async () => {
        const running = run(async (tx) => {
          await tick();
          await tx.putPool(pool("p2"));
          return "done";
        });
        const queued = run((tx) => tx.getPool("p2"));
        await store.close();
        expect(await running).toBe("done");
        expect(await queued).toEqual(pool("p2"));
        await expect(run((tx) => tx.getPool("p1"))).rejects.toThrow(/closed/);
        await store.close();
        // afterEach closes again: closing twice is harmless.
      });
    });

    describe("limits", () => {
      it("refuses a page limit below 1", async () => {
        await expect(run((tx) => tx.listPools(0, undefined))).rejects.toBeInstanceOf(RangeError);
        await expect(run((tx) => tx.listUsers("p1", undefined, -1, undefined))).rejects.toBeInstanceOf(
          RangeError,
        );
      });
    });
  });
}
