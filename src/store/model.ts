// The records the server keeps: pools, clients, users, groups, codes, sessions, refresh tokens, keys, outbox.
// Pool and client settings are kept in Cognito's own JSON shapes, so Describe* return them as stored.

export type UserStatus =
  | "UNCONFIRMED"
  | "CONFIRMED"
  | "EXTERNAL_PROVIDER"
  | "UNKNOWN"
  | "RESET_REQUIRED"
  | "FORCE_CHANGE_PASSWORD";

/** A JSON object in Cognito's wire shape (PascalCase members). */
export type WireObject = { [key: string]: unknown };

export interface PoolRecord {
  id: string;
  name: string;
  /** The `UserPool` members of DescribeUserPool except Id, Name, Arn, dates and EstimatedNumberOfUsers. */
  settings: WireObject;
  createdAt: number;
  lastModifiedAt: number;
}

export interface ClientRecord {
  clientId: string;
  poolId: string;
  /** The `UserPoolClient` members of DescribeUserPoolClient except ids and dates (ClientSecret included). */
  settings: WireObject;
  createdAt: number;
  lastModifiedAt: number;
}

/** What SRP needs to check a password: the password itself is never stored. */
export interface PasswordRecord {
  /** Hex salt and verifier `v = g^x mod N` of Cognito's SRP-6a variant. */
  salt: string;
  verifier: string;
  /** A temporary password (AdminCreateUser, AdminSetUserPassword Permanent=false) and when it was set. */
  temporary: boolean;
  setAt: number;
}

export interface UserRecord {
  poolId: string;
  /** The internal username, as created (a UUID equal to `sub` in pools with UsernameAttributes). */
  username: string;
  sub: string;
  /** Every attribute as Cognito stores it (strings; `email_verified` is "true"/"false"), without `sub`. */
  attributes: Record<string, string>;
  status: UserStatus;
  enabled: boolean;
  password: PasswordRecord | undefined;
  createdAt: number;
  lastModifiedAt: number;
}

export interface GroupRecord {
  poolId: string;
  name: string;
  description: string | undefined;
  roleArn: string | undefined;
  precedence: number | undefined;
  createdAt: number;
  lastModifiedAt: number;
}

export type CodePurpose = "signup" | "forgot-password" | `verify:${string}`;

export interface CodeRecord {
  poolId: string;
  username: string;
  purpose: CodePurpose;
  /** SHA-256 hex of the code: the code itself lives only in the outbox. */
  codeHash: string;
  createdAt: number;
  expiresAt: number;
  /** Wrong guesses so far against this code. */
  failedAttempts: number;
}

export interface SessionRecord {
  id: string;
  poolId: string;
  clientId: string;
  username: string;
  challenge: string;
  /** Flow state carried between rounds (e.g. custom-auth history). */
  data: WireObject;
  expiresAt: number;
}

/** One sign-in's refresh token; its `originJti` is the revocation family of every token minted from it. */
export interface RefreshTokenRecord {
  originJti: string;
  poolId: string;
  clientId: string;
  username: string;
  authTime: number;
  createdAt: number;
  expiresAt: number;
  revoked: boolean;
}

export type KeyUse = "id" | "access" | "refresh";

export interface SigningKeyRecord {
  poolId: string;
  use: KeyUse;
  kid: string;
  /** JWKs as JSON text. */
  privateJwk: string;
  publicJwk: string;
  createdAt: number;
}

export interface OutboxMessage {
  id?: number | undefined;
  userPoolId: string;
  username: string;
  sub: string;
  medium: "EMAIL" | "SMS";
  destination: string;
  subject: string | undefined;
  body: string;
  code: string | undefined;
  /** What the message is for: SignUp, ResendCode, ForgotPassword, AdminCreateUser, VerifyUserAttribute, UpdateUserAttribute. */
  reason: string;
  createdAt: number;
}
