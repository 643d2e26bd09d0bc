// The in-memory store (`--memory`): Maps with an undo journal, so a transaction that throws leaves nothing.

import { MissingRecord } from "./errors.js";
import { memoryLogs } from "./memory-logs.js";
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
} from "./model.js";
import { checkLimit, compareText, decodeCursor, encodeCursor, userFilterScope } from "./paging.js";
import type { Page, Store, StoredUser, UserFilter, UserKeys } from "./port.js";
import { UniqueViolation } from "./port.js";
import { TransactionQueue } from "./serial.js";
import { asyncTx, type SyncTx } from "./tx.js";

/** Undo steps of the running transaction, newest last. */
class Journal {
  readonly #undo: (() => void)[] = [];

  get mark(): number {
    return this.#undo.length;
  }

  record(undo: () => void): void {
    this.#undo.push(undo);
  }

  rollbackTo(mark: number): void {
    while (this.#undo.length > mark) this.#undo.pop()?.();
  }

  forget(): void {
    this.#undo.length = 0;
  }
}

/** A Map whose writes can be undone. Values are owned by the table: never handed out uncopied. */
class Table<V> {
  readonly #rows = new Map<string, V>();

  constructor(private readonly journal: Journal) {}

  get(key: string): V | undefined {
    return this.#rows.get(key);
  }

  values(): IterableIterator<V> {
    return this.#rows.values();
  }

  entries(): IterableIterator<[string, V]> {
    return this.#rows.entries();
  }

  set(key: string, value: V): void {
    const rows = this.#rows;
    if (rows.has(key)) {
      const old = rows.get(key) as V;
      this.journal.record(() => rows.set(key, old));
    } else {
      this.journal.record(() => rows.delete(key));
    }
    rows.set(key, value);
  }

  delete(key: string): void {
    const rows = this.#rows;
    if (!rows.has(key)) return;
    const old = rows.get(key) as V;
    this.journal.record(() => rows.set(key, old));
    rows.delete(key);
  }

  deleteWhere(test: (value: V) => boolean): void {
    for (const [key, value] of [...this.#rows]) if (test(value)) this.delete(key);
  }
}

interface UserRow {
  user: UserRecord;
  keys: UserKeys;
  index: Record<string, string>;
}

interface Membership {
  poolId: string;
  group: string;
  username: string;
}

interface Counter {
  count: number;
  windowStart: number;
}

/** Keys of the Maps; JSON keeps any character in ids from making two keys collide. */
const k = (...parts: string[]): string => JSON.stringify(parts);

const copy = <T>(value: T): T => structuredClone(value);

function compareTuple(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < a.length; i++) {
    const order = compareText(a[i] ?? "", b[i] ?? "");
    if (order !== 0) return order;
  }
  return 0;
}

/** One page of rows, in the order of their positions, strictly after the cursor's position. */
function page<R, T>(
  rows: Iterable<R>,
  position: (row: R) => string[],
  output: (row: R) => T,
  scope: string,
  limit: number,
  after: string | undefined,
): Page<T> {
  checkLimit(limit);
  const positioned = [...rows].map((row) => ({ row, at: position(row) }));
  // Filtered user listings page by (value, username), every other listing by one name.
  const from = after === undefined ? undefined : decodeCursor(after, scope, scope.includes(":") ? 2 : 1);
  const sorted = positioned
    .filter(({ at }) => from === undefined || compareTuple(at, from) > 0)
    .sort((a, b) => compareTuple(a.at, b.at));
  const items = sorted.slice(0, limit);
  const last = items[items.length - 1];
  return {
    items: items.map(({ row }) => output(row)),
    next: sorted.length > limit && last ? encodeCursor(scope, last.at) : undefined,
  };
}

function uniqueAliases(keys: UserKeys): string[] {
  return [...new Set(keys.aliasKeys)];
}

function aliasAttribute(aliasKey: string): string {
  const colon = aliasKey.indexOf(":");
  return colon < 0 ? aliasKey : aliasKey.slice(0, colon);
}

function stringIndex(index: Record<string, string>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [attribute, value] of Object.entries(index))
    if (typeof value === "string") kept[attribute] = value;
  return kept;
}

export function createMemoryStore(): Store {
  const journal = new Journal();
  const pools = new Table<PoolRecord>(journal);
  const clients = new Table<ClientRecord>(journal);
  const users = new Table<UserRow>(journal);
  const usernameKeys = new Table<string>(journal);
  const subs = new Table<string>(journal);
  const aliases = new Table<string>(journal);
  const groups = new Table<GroupRecord>(journal);
  const members = new Table<Membership>(journal);
  const codes = new Table<CodeRecord>(journal);
  const sessions = new Table<SessionRecord>(journal);
  const refreshTokens = new Table<RefreshTokenRecord>(journal);
  const signingKeys = new Table<SigningKeyRecord>(journal);
  const secrets = new Table<string>(journal);
  const counters = new Table<Counter>(journal);
  const outbox = new Table<OutboxMessage>(journal);
  // The outbox id sequence is journaled too: a rolled-back message gives its id back, as in SQLite.
  const sequences = new Table<number>(journal);
  const queue = new TransactionQueue();
  const logs = memoryLogs((undo) => journal.record(undo));

  const requirePool = (poolId: string): void => {
    if (!pools.get(poolId)) throw new MissingRecord(`pool ${poolId}`);
  };
  const requireUser = (poolId: string, username: string): UserRow => {
    const row = users.get(k(poolId, username));
    if (!row) throw new MissingRecord(`user ${username} of pool ${poolId}`);
    return row;
  };
  const stored = (row: UserRow | undefined): StoredUser | undefined =>
    row ? { user: copy(row.user), keys: copy(row.keys) } : undefined;
  const byUsername = (poolId: string, username: string | undefined): StoredUser | undefined =>
    username === undefined ? undefined : stored(users.get(k(poolId, username)));
  const usersOf = function* (poolId: string): Generator<UserRow> {
    for (const row of users.values()) if (row.user.poolId === poolId) yield row;
  };

  /** Checks every uniqueness rule before any write, so a violation leaves the tables as they were. */
  const checkUnique = (user: UserRecord, keys: UserKeys, self: string | undefined): void => {
    const holder = (table: Table<string>, key: string): string | undefined => {
      const username = table.get(k(user.poolId, key));
      return username === self ? undefined : username;
    };
    if (holder(usernameKeys, keys.usernameKey) !== undefined)
      throw new UniqueViolation("username", undefined);
    // A sub is the user's other name: a clash can only come from reusing one.
    if (holder(subs, user.sub) !== undefined) throw new UniqueViolation("username", undefined);
    for (const alias of uniqueAliases(keys)) {
      if (holder(aliases, alias) !== undefined) throw new UniqueViolation("alias", aliasAttribute(alias));
    }
  };

  const writeUser = (user: UserRecord, keys: UserKeys, index: Record<string, string>): void => {
    const aliasKeys = uniqueAliases(keys);
    users.set(k(user.poolId, user.username), {
      user: copy(user),
      keys: { usernameKey: keys.usernameKey, aliasKeys },
      index: stringIndex(index),
    });
    usernameKeys.set(k(user.poolId, keys.usernameKey), user.username);
    subs.set(k(user.poolId, user.sub), user.username);
    for (const alias of aliasKeys) aliases.set(k(user.poolId, alias), user.username);
  };

  const unlinkUser = (row: UserRow): void => {
    const { poolId } = row.user;
    usernameKeys.delete(k(poolId, row.keys.usernameKey));
    subs.delete(k(poolId, row.user.sub));
    for (const alias of row.keys.aliasKeys) aliases.delete(k(poolId, alias));
  };

  const removeUser = (poolId: string, username: string): void => {
    const row = users.get(k(poolId, username));
    if (!row) return;
    unlinkUser(row);
    users.delete(k(poolId, username));
    const own = (r: { poolId: string; username: string }) => r.poolId === poolId && r.username === username;
    members.deleteWhere(own);
    codes.deleteWhere(own);
    sessions.deleteWhere(own);
    refreshTokens.deleteWhere(own);
  };

  const filterMatches = (filter: UserFilter) => (row: UserRow) => {
    const value = row.index[filter.attribute];
    if (value === undefined) return false;
    return filter.op === "=" ? value === filter.value : value.startsWith(filter.value);
  };

  const impl: SyncTx = {
    getPool: (poolId) => {
      const pool = pools.get(poolId);
      return pool && copy(pool);
    },
    listPools: (limit, after) => page(pools.values(), (p) => [p.id], copy, "pools", limit, after),
    putPool: (pool) => pools.set(pool.id, copy(pool)),
    deletePool: (poolId) => {
      const inPool = (r: { poolId: string }) => r.poolId === poolId;
      // One sweep per table: removeUser per user would sweep every table once per user.
      for (const row of [...usersOf(poolId)]) {
        unlinkUser(row);
        users.delete(k(poolId, row.user.username));
      }
      clients.deleteWhere(inPool);
      groups.deleteWhere(inPool);
      members.deleteWhere(inPool);
      codes.deleteWhere(inPool);
      sessions.deleteWhere(inPool);
      refreshTokens.deleteWhere(inPool);
      signingKeys.deleteWhere(inPool);
      outbox.deleteWhere((m) => m.userPoolId === poolId);
      pools.delete(poolId);
    },
    countUsers: (poolId) => {
      let count = 0;
      for (const _ of usersOf(poolId)) count++;
      return count;
    },

    getClient: (clientId) => {
      const client = clients.get(clientId);
      return client && copy(client);
    },
    listClients: (poolId, limit, after) =>
      page(
        [...clients.values()].filter((c) => c.poolId === poolId),
        (c) => [c.clientId],
        copy,
        "clients",
        limit,
        after,
      ),
    putClient: (client) => {
      requirePool(client.poolId);
      clients.set(client.clientId, copy(client));
    },
    deleteClient: (clientId) => clients.delete(clientId),

    getUserByKey: (poolId, usernameKey) => byUsername(poolId, usernameKeys.get(k(poolId, usernameKey))),
    getUserBySub: (poolId, sub) => byUsername(poolId, subs.get(k(poolId, sub))),
    getUserByAlias: (poolId, aliasKey) => byUsername(poolId, aliases.get(k(poolId, aliasKey))),
    insertUser: (user, keys, index) => {
      requirePool(user.poolId);
      if (users.get(k(user.poolId, user.username))) throw new UniqueViolation("username", undefined);
      checkUnique(user, keys, undefined);
      writeUser(user, keys, index);
    },
    updateUser: (user, keys, index) => {
      const row = requireUser(user.poolId, user.username);
      checkUnique(user, keys, user.username);
      unlinkUser(row);
      writeUser(user, keys, index);
    },
    releaseAlias: (poolId, aliasKey) => {
      const username = aliases.get(k(poolId, aliasKey));
      if (username === undefined) return undefined;
      aliases.delete(k(poolId, aliasKey));
      const row = users.get(k(poolId, username));
      if (row) {
        const aliasKeys = row.keys.aliasKeys.filter((alias) => alias !== aliasKey);
        users.set(k(poolId, username), { ...row, keys: { ...row.keys, aliasKeys } });
      }
      return username;
    },
    deleteUser: (poolId, username) => removeUser(poolId, username),
    listUsers: (poolId, filter, limit, after) => {
      if (!filter) {
        return page(
          usersOf(poolId),
          (r) => [r.user.username],
          (r) => copy(r.user),
          "users",
          limit,
          after,
        );
      }
      return page(
        [...usersOf(poolId)].filter(filterMatches(filter)),
        (r) => [r.index[filter.attribute] ?? "", r.user.username],
        (r) => copy(r.user),
        userFilterScope(filter),
        limit,
        after,
      );
    },

    getGroup: (poolId, name) => {
      const group = groups.get(k(poolId, name));
      return group && copy(group);
    },
    listGroups: (poolId, limit, after) =>
      page(
        [...groups.values()].filter((g) => g.poolId === poolId),
        (g) => [g.name],
        copy,
        "groups",
        limit,
        after,
      ),
    putGroup: (group) => {
      requirePool(group.poolId);
      groups.set(k(group.poolId, group.name), copy(group));
    },
    deleteGroup: (poolId, name) => {
      members.deleteWhere((m) => m.poolId === poolId && m.group === name);
      groups.delete(k(poolId, name));
    },
    addToGroup: (poolId, name, username) => {
      if (!groups.get(k(poolId, name))) throw new MissingRecord(`group ${name} of pool ${poolId}`);
      requireUser(poolId, username);
      members.set(k(poolId, name, username), { poolId, group: name, username });
    },
    removeFromGroup: (poolId, name, username) => members.delete(k(poolId, name, username)),
    listGroupsForUser: (poolId, username, limit, after) => {
      const mine: GroupRecord[] = [];
      for (const m of members.values()) {
        const group = m.poolId === poolId && m.username === username && groups.get(k(poolId, m.group));
        if (group) mine.push(group);
      }
      return page(mine, (g) => [g.name], copy, "user-groups", limit, after);
    },
    listUsersInGroup: (poolId, name, limit, after) => {
      const inGroup: UserRow[] = [];
      for (const m of members.values()) {
        const row = m.poolId === poolId && m.group === name && users.get(k(poolId, m.username));
        if (row) inGroup.push(row);
      }
      return page(
        inGroup,
        (r) => [r.user.username],
        (r) => copy(r.user),
        "group-users",
        limit,
        after,
      );
    },

    putCode: (code) => {
      requireUser(code.poolId, code.username);
      codes.set(k(code.poolId, code.username, code.purpose), copy(code));
    },
    getCode: (poolId, username, purpose) => {
      const code = codes.get(k(poolId, username, purpose));
      return code && copy(code);
    },
    deleteCode: (poolId, username, purpose) => codes.delete(k(poolId, username, purpose)),

    putSession: (session) => {
      requirePool(session.poolId);
      sessions.set(session.id, copy(session));
    },
    takeSession: (id) => {
      const session = sessions.get(id);
      sessions.delete(id);
      return session && copy(session);
    },

    putRefreshToken: (token) => {
      requireUser(token.poolId, token.username);
      refreshTokens.set(token.originJti, copy(token));
    },
    getRefreshToken: (originJti) => {
      const token = refreshTokens.get(originJti);
      return token && copy(token);
    },
    revokeRefreshToken: (originJti) => {
      const token = refreshTokens.get(originJti);
      if (token && !token.revoked) refreshTokens.set(originJti, { ...token, revoked: true });
    },
    revokeUserRefreshTokens: (poolId, username) => {
      for (const [jti, token] of [...refreshTokens.entries()]) {
        if (token.poolId === poolId && token.username === username && !token.revoked) {
          refreshTokens.set(jti, { ...token, revoked: true });
        }
      }
    },

    getSigningKeys: (poolId) =>
      [...signingKeys.values()]
        .filter((key) => key.poolId === poolId)
        .sort((a, b) => compareText(a.use, b.use))
        .map(copy),
    putSigningKeyIfAbsent: (key) => {
      requirePool(key.poolId);
      const existing = signingKeys.get(k(key.poolId, key.use));
      if (existing) return copy(existing);
      signingKeys.set(k(key.poolId, key.use), copy(key));
      return copy(key);
    },
    getOrCreateSecret: (name, create) => {
      const existing = secrets.get(name);
      if (existing !== undefined) return existing;
      const value = create();
      secrets.set(name, value);
      return value;
    },

    incrementCounter: (key, windowStart, now) => {
      const current = counters.get(key);
      const fresh = !current || current.windowStart < windowStart;
      const next = fresh ? { count: 1, windowStart: now } : { ...current, count: current.count + 1 };
      counters.set(key, next);
      return next.count;
    },
    resetCounter: (key) => counters.delete(key),

    addOutboxMessage: (message) => {
      const id = (sequences.get("outbox") ?? 0) + 1;
      sequences.set("outbox", id);
      outbox.set(String(id), { ...copy(message), id });
    },
    listOutbox: (filter) =>
      [...outbox.values()]
        .filter(
          (m) =>
            (filter.userPoolId === undefined || m.userPoolId === filter.userPoolId) &&
            (filter.username === undefined || m.username === filter.username || m.sub === filter.username),
        )
        .sort((a, b) => (a.id ?? 0) - (b.id ?? 0))
        .map(copy),

    ...logs,
  };

  return {
    transaction: (work) =>
      queue.run(async () => {
        let open = true;
        const tx = asyncTx(
          impl,
          () => {
            if (!open) throw new Error("store transaction already ended");
          },
          (call) => {
            // Each call is atomic on its own too: a caller that catches a UniqueViolation sees no half user.
            const mark = journal.mark;
            try {
              return call();
            } catch (error) {
              journal.rollbackTo(mark);
              throw error;
            }
          },
        );
        try {
          const result = await work(tx);
          open = false;
          journal.forget();
          return result;
        } catch (error) {
          open = false;
          journal.rollbackTo(0);
          throw error;
        }
      }),
    close: () => queue.close(() => {}),
  };
}
