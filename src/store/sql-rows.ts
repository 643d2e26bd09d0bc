// Rows of the SQL stores (SQLite and PostgreSQL share the schema) and their conversion to records.
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

export interface PoolRow {
  id: string;
  name: string;
  settings: string;
  created_at: number;
  last_modified_at: number;
}

export interface ClientRow {
  client_id: string;
  pool_id: string;
  settings: string;
  created_at: number;
  last_modified_at: number;
}

export interface UserRow {
  pool_id: string;
  username: string;
  username_key: string;
  record: string;
}

export interface GroupRow {
  pool_id: string;
  name: string;
  description: string | null;
  role_arn: string | null;
  precedence: number | null;
  created_at: number;
  last_modified_at: number;
}

export interface CodeRow {
  pool_id: string;
  username: string;
  purpose: string;
  code_hash: string;
  created_at: number;
  expires_at: number;
  failed_attempts: number;
}

export interface RefreshTokenRow {
  origin_jti: string;
  pool_id: string;
  client_id: string;
  username: string;
  auth_time: number;
  created_at: number;
  expires_at: number;
  /** SQLite stores 0/1, PostgreSQL a boolean. */
  revoked: number | boolean;
}

export interface SigningKeyRow {
  pool_id: string;
  use: string;
  kid: string;
  private_jwk: string;
  public_jwk: string;
  created_at: number;
}

export interface OutboxRow {
  id: number;
  record: string;
}

export const toPool = (row: PoolRow): PoolRecord => ({
  id: row.id,
  name: row.name,
  settings: JSON.parse(row.settings),
  createdAt: row.created_at,
  lastModifiedAt: row.last_modified_at,
});

export const toClient = (row: ClientRow): ClientRecord => ({
  clientId: row.client_id,
  poolId: row.pool_id,
  settings: JSON.parse(row.settings),
  createdAt: row.created_at,
  lastModifiedAt: row.last_modified_at,
});

export const toUser = (row: { record: string }): UserRecord => {
  const user = JSON.parse(row.record) as UserRecord;
  // JSON drops undefined members; put back the one the record type always has.
  user.password ??= undefined;
  return user;
};

export const toGroup = (row: GroupRow): GroupRecord => ({
  poolId: row.pool_id,
  name: row.name,
  description: row.description ?? undefined,
  roleArn: row.role_arn ?? undefined,
  precedence: row.precedence ?? undefined,
  createdAt: row.created_at,
  lastModifiedAt: row.last_modified_at,
});

export const toCode = (row: CodeRow): CodeRecord => ({
  poolId: row.pool_id,
  username: row.username,
  purpose: row.purpose as CodePurpose,
  codeHash: row.code_hash,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  failedAttempts: row.failed_attempts,
});

export const toRefreshToken = (row: RefreshTokenRow): RefreshTokenRecord => ({
  originJti: row.origin_jti,
  poolId: row.pool_id,
  clientId: row.client_id,
  username: row.username,
  authTime: row.auth_time,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  revoked: row.revoked === true || row.revoked === 1,
});

export const toSigningKey = (row: SigningKeyRow): SigningKeyRecord => ({
  poolId: row.pool_id,
  use: row.use as KeyUse,
  kid: row.kid,
  privateJwk: row.private_jwk,
  publicJwk: row.public_jwk,
  createdAt: row.created_at,
});

export const toOutbox = (row: OutboxRow): OutboxMessage => {
  const message = JSON.parse(row.record) as OutboxMessage;
  message.subject ??= undefined;
  message.code ??= undefined;
  return { ...message, id: row.id };
};

export const toSession = (row: { record: string }): SessionRecord => JSON.parse(row.record) as SessionRecord;
