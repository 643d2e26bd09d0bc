// The store port: every Cognito action runs in one transaction that either commits whole or not at all.
import type {
  ClientRecord,
  CodePurpose,
  CodeRecord,
  GroupRecord,
  KeyUse,
  OutboxMessage,
  PoolRecord,
  RefreshTokenRecord,
  SessionRecord,
  SigningKeyRecord,
  UserRecord,
} from "./model.js";

/** A page of results and the cursor of the next page (absent on the last page). */
export interface Page<T> {
  items: T[];
  next: string | undefined;
}

/**
 * A uniqueness rule was broken: a username or a sign-in alias already belongs to another user of the
 * pool. Thrown by `insertUser`/`updateUser`; the transaction is rolled back.
 */
export class UniqueViolation extends Error {
  constructor(
    readonly kind: "username" | "alias",
    /** For aliases: `email`, `phone_number` or `preferred_username`. */
    readonly attribute: string | undefined,
  ) {
    super(`unique ${kind}${attribute ? ` (${attribute})` : ""} already taken`);
    this.name = "UniqueViolation";
  }
}

/**
 * How a user is found and what must stay unique, computed by the domain (pool settings decide case
 * sensitivity and which attributes are aliases) and stored with the user.
 */
export interface UserKeys {
  /** The username as looked up: lower-cased when the pool is case-insensitive. */
  usernameKey: string;
  /** `<attribute>:<normalised value>` for every alias the user holds (unique per pool). */
  aliasKeys: string[];
}

/** ListUsers' filter: one attribute, `=` or `^=`, values compared as `normalise` makes them. */
export interface UserFilter {
  /** `username`, `email`, `phone_number`, `name`, `given_name`, `family_name`, `preferred_username`, `cognito:user_status`, `status`, `sub`. */
  attribute: string;
  op: "=" | "^=";
  /** Already normalised by the caller (lower-cased where the match is case-insensitive). */
  value: string;
}

export interface StoredUser {
  user: UserRecord;
  keys: UserKeys;
}

/** A log group: `/aws/lambda/<function>` for the functions the edge runs. */
export interface LogGroupRecord {
  name: string;
  /** When its first events (or empty append) were ingested. */
  creationTime: number;
  /** UTF-8 bytes of every message plus 26 bytes per event, as CloudWatch counts a batch. */
  storedBytes: number;
}

export interface LogStreamRecord {
  group: string;
  name: string;
  creationTime: number;
  /** Earliest and latest event timestamps; undefined while the stream has no events. */
  firstEventTimestamp: number | undefined;
  lastEventTimestamp: number | undefined;
  lastIngestionTime: number | undefined;
  storedBytes: number;
}

/** An event to append: its own timestamp (when it was written) and its text. */
export interface LogEventInput {
  timestamp: number;
  message: string;
}

export interface StoredLogEvent {
  stream: string;
  timestamp: number;
  message: string;
  ingestionTime: number;
  /** Store-wide append order: ties between equal timestamps go by it, and it makes event ids unique. */
  seq: number;
}

/** Where a GetLogEvents page starts or ends: events are ordered by (timestamp, seq). */
export interface LogPosition {
  timestamp: number;
  seq: number;
}

export interface LogStreamQuery {
  prefix?: string | undefined;
  orderBy: "LogStreamName" | "LastEventTime";
  descending: boolean;
  limit: number;
  after: string | undefined;
}

export interface LogEventsQuery {
  /** Inclusive. */
  startTime?: number | undefined;
  /** Exclusive. */
  endTime?: number | undefined;
  /** Without `from`: the first `limit` events of the range, else the last `limit`. */
  startFromHead: boolean;
  limit: number;
  /** A previous page's edge: `forward` reads events at or after it, `backward` events before it. */
  from?: { direction: "forward" | "backward"; position: LogPosition } | undefined;
}

/** Events oldest first, with the edges to continue from in either direction (never absent, as in CloudWatch). */
export interface LogEventsPage {
  events: StoredLogEvent[];
  forward: LogPosition;
  backward: LogPosition;
}

export interface LogFilterQuery {
  /** Only these streams; or only streams whose name starts with `streamPrefix`. */
  streams?: readonly string[] | undefined;
  streamPrefix?: string | undefined;
  /** Inclusive. */
  startTime?: number | undefined;
  /** Exclusive. */
  endTime?: number | undefined;
  /** CloudWatch's term syntax (see log-pattern.ts); throws InvalidFilterPattern when it cannot be read. */
  pattern?: string | undefined;
  /** Newest first instead of oldest first. */
  descending?: boolean | undefined;
  limit: number;
  after: string | undefined;
}

/** Invocation logs: append-only groups, streams and events (CloudWatch Logs' read model). */
export interface LogStoreTx {
  /** Creates the group and stream on first use; an empty `events` only creates them. */
  appendLogEvents(
    group: string,
    stream: string,
    events: readonly LogEventInput[],
    ingestionTime: number,
  ): Promise<void>;
  getLogGroup(name: string): Promise<LogGroupRecord | undefined>;
  /** Groups ordered by name; `prefix` and `contains` (case-sensitive substring) narrow them. */
  describeLogGroups(query: {
    prefix?: string | undefined;
    contains?: string | undefined;
    limit: number;
    after: string | undefined;
  }): Promise<Page<LogGroupRecord>>;
  getLogStream(group: string, name: string): Promise<LogStreamRecord | undefined>;
  /** Streams of the group by name or by last event time (streams without events first), then name. */
  describeLogStreams(group: string, query: LogStreamQuery): Promise<Page<LogStreamRecord>>;
  getLogEvents(group: string, stream: string, query: LogEventsQuery): Promise<LogEventsPage>;
  /** Events of the group's streams interleaved by (timestamp, seq). */
  filterLogEvents(group: string, query: LogFilterQuery): Promise<Page<StoredLogEvent>>;
}

/**
 * How long an expired session or refresh token is kept. A late answer to a challenge still hears
 * "session is expired" rather than "invalid session", and a revoked refresh token outlives every access
 * token minted from it (access tokens are refused by looking their family up; they live at most a day).
 */
export const EXPIRED_KEPT_MS = 86_400_000;

/**
 * Counters whose window began longer ago than this are dropped. Every caller's window is at most an
 * hour (auth-self-service.ts, ResendConfirmationCode.ts, ChangePassword.ts), so such a counter would
 * restart at its next increment anyway: dropping it changes no count.
 */
export const COUNTER_KEPT_MS = 86_400_000;

/** What purgeExpired keeps; sweeper.ts has the default. */
export interface PurgeOptions {
  /** Log events whose own timestamp is older than this go (CloudWatch retention by event time). */
  logRetentionMs: number;
}

/** Rows purgeExpired deleted, per table. */
export interface PurgeCounts {
  sessions: number;
  codes: number;
  refreshTokens: number;
  counters: number;
  logEvents: number;
}

export interface StoreTx extends LogStoreTx {
  // Pools
  getPool(poolId: string): Promise<PoolRecord | undefined>;
  /** Pools ordered by id, after the cursor. */
  listPools(limit: number, after: string | undefined): Promise<Page<PoolRecord>>;
  putPool(pool: PoolRecord): Promise<void>;
  /** Deletes the pool and everything in it (clients, users, groups, codes, sessions, tokens, keys). */
  deletePool(poolId: string): Promise<void>;
  countUsers(poolId: string): Promise<number>;

  // App clients
  getClient(clientId: string): Promise<ClientRecord | undefined>;
  /** Clients of a pool ordered by id, after the cursor. */
  listClients(poolId: string, limit: number, after: string | undefined): Promise<Page<ClientRecord>>;
  putClient(client: ClientRecord): Promise<void>;
  deleteClient(clientId: string): Promise<void>;

  // Users
  getUserByKey(poolId: string, usernameKey: string): Promise<StoredUser | undefined>;
  getUserBySub(poolId: string, sub: string): Promise<StoredUser | undefined>;
  getUserByAlias(poolId: string, aliasKey: string): Promise<StoredUser | undefined>;
  /** Throws UniqueViolation when the username key or an alias key is taken. */
  insertUser(user: UserRecord, keys: UserKeys, index: Record<string, string>): Promise<void>;
  /** Replaces the user (same pool and username); throws UniqueViolation on an alias held by another user. */
  updateUser(user: UserRecord, keys: UserKeys, index: Record<string, string>): Promise<void>;
  /** Removes the alias keys from whichever user holds them (ForceAliasCreation), returning that user's username. */
  releaseAlias(poolId: string, aliasKey: string): Promise<string | undefined>;
  /** Deletes the user with their group memberships, codes, sessions and refresh tokens. */
  deleteUser(poolId: string, username: string): Promise<void>;
  /**
   * Users ordered by the filtered attribute (then username), or by username without a filter.
   * `index` given to insert/update holds the normalised filterable values per attribute.
   */
  listUsers(
    poolId: string,
    filter: UserFilter | undefined,
    limit: number,
    after: string | undefined,
  ): Promise<Page<UserRecord>>;

  // Groups
  getGroup(poolId: string, name: string): Promise<GroupRecord | undefined>;
  listGroups(poolId: string, limit: number, after: string | undefined): Promise<Page<GroupRecord>>;
  putGroup(group: GroupRecord): Promise<void>;
  /** Deletes the group and its memberships. */
  deleteGroup(poolId: string, name: string): Promise<void>;
  addToGroup(poolId: string, name: string, username: string): Promise<void>;
  removeFromGroup(poolId: string, name: string, username: string): Promise<void>;
  /** Groups of a user ordered by name. */
  listGroupsForUser(
    poolId: string,
    username: string,
    limit: number,
    after: string | undefined,
  ): Promise<Page<GroupRecord>>;
  /** Members of a group ordered by username. */
  listUsersInGroup(
    poolId: string,
    name: string,
    limit: number,
    after: string | undefined,
  ): Promise<Page<UserRecord>>;

  // One-time codes: one live code per (user, purpose); a new one replaces the old.
  putCode(code: CodeRecord): Promise<void>;
  getCode(poolId: string, username: string, purpose: CodePurpose): Promise<CodeRecord | undefined>;
  deleteCode(poolId: string, username: string, purpose: CodePurpose): Promise<void>;

  // Challenge sessions: single use.
  putSession(session: SessionRecord): Promise<void>;
  /** Returns and deletes the session: a second take of the same id finds nothing. */
  takeSession(id: string): Promise<SessionRecord | undefined>;

  // Refresh tokens (one per sign-in, keyed by the origin_jti family)
  putRefreshToken(token: RefreshTokenRecord): Promise<void>;
  getRefreshToken(originJti: string): Promise<RefreshTokenRecord | undefined>;
  revokeRefreshToken(originJti: string): Promise<void>;
  /** GlobalSignOut: every refresh token of the user, so every access token of theirs too. */
  revokeUserRefreshTokens(poolId: string, username: string): Promise<void>;

  // Keys
  getSigningKeys(poolId: string): Promise<SigningKeyRecord[]>;
  /** Inserts if no key of that use exists for the pool; returns the key that is stored afterwards. */
  putSigningKeyIfAbsent(key: SigningKeyRecord): Promise<SigningKeyRecord>;
  /** A server-wide secret (e.g. the key that seals SRP state), created by `create` on first use. */
  getOrCreateSecret(name: string, create: () => string): Promise<string>;

  // Counters for attempt limits: increments and returns the count within the window.
  incrementCounter(key: string, windowStart: number, now: number): Promise<number>;
  resetCounter(key: string): Promise<void>;

  // Outbox
  addOutboxMessage(message: OutboxMessage): Promise<void>;
  /** Oldest first; `username` matches the username, any alias value or the sub (already resolved by the caller to a username). */
  listOutbox(filter: {
    userPoolId?: string | undefined;
    username?: string | undefined;
  }): Promise<OutboxMessage[]>;

  /**
   * The sweeper's work: deletes expired codes, sessions and refresh tokens EXPIRED_KEPT_MS past their
   * expiry, counters whose window began over COUNTER_KEPT_MS ago, and log events older than the
   * retention (their bytes come off their stream's and group's storedBytes; streams and groups stay).
   */
  purgeExpired(now: number, options: PurgeOptions): Promise<PurgeCounts>;
}

export interface Store {
  /**
   * Runs `work` in one transaction: every write commits together, or none does when it throws.
   * Transactions are serialised, so `work` must not wait on anything slow (no trigger calls inside).
   */
  transaction<T>(work: (tx: StoreTx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export type { KeyUse };
