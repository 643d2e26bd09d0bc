// USER_SRP_AUTH state between its two legs: the SECRET_BLOCK, sealed with AES-256-GCM under a server secret.
//
// Cognito's first leg returns no Session, so everything the second leg needs (b, B, A, who and for which
// client) travels inside SECRET_BLOCK. Sealing it under a secret kept in the store lets any server
// instance sharing that store verify it, and makes it tamper-evident: a block that does not open is just
// a wrong answer ("Incorrect username or password.").
import { createCipheriv, createDecipheriv } from "node:crypto";
import type { Random } from "../../shared/random.js";
import type { StoreTx } from "../../store/port.js";

export interface SrpState {
  poolId: string;
  clientId: string;
  /** USER_ID_FOR_SRP: the internal username (for an unknown user under ENABLED, the fake UUID). */
  username: string;
  /** Server secret exponent and public value, hex. */
  b: string;
  B: string;
  /** The client's SRP_A, hex. */
  A: string;
  /** Epoch ms. */
  issuedAt: number;
  /** The user does not exist: the challenge only hides that (PreventUserExistenceErrors). */
  fake?: boolean;
}

/** How long a SECRET_BLOCK answers: clients respond within seconds; Cognito's own limit is not published. */
export const SECRET_BLOCK_TTL_MS = 5 * 60_000;

const VERSION = 1;
const AAD = Buffer.from("cognito-triggers/srp-secret-block/v1", "utf8");

const secretOf = (tx: StoreTx, random: Random, name: string) =>
  tx
    .getOrCreateSecret(name, () => random.bytes(32).toString("base64"))
    .then((text) => Buffer.from(text, "base64"));

/** The key that seals SECRET_BLOCKs. */
export const sealingKey = (tx: StoreTx, random: Random) => secretOf(tx, random, "srp");

/** The secret that derives fake challenges for unknown users (stable, so probing twice looks the same). */
export const fakeChallengeSecret = (tx: StoreTx, random: Random) => secretOf(tx, random, "srp-fake");

export function sealSecretBlock(key: Buffer, random: Random, state: SrpState): string {
  const iv = random.bytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(AAD);
  const body = Buffer.concat([cipher.update(JSON.stringify(state), "utf8"), cipher.final()]);
  return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]).toString("base64");
}

/** The state sealed in `block`, or undefined when it is not a block this key sealed. */
export function openSecretBlock(key: Buffer, block: string): SrpState | undefined {
  const bytes = Buffer.from(block, "base64");
  if (bytes.length < 1 + 12 + 16 + 2 || bytes[0] !== VERSION) return undefined;
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, bytes.subarray(1, 13));
    decipher.setAAD(AAD);
    decipher.setAuthTag(bytes.subarray(13, 29));
    const text = Buffer.concat([decipher.update(bytes.subarray(29)), decipher.final()]).toString("utf8");
    const state = JSON.parse(text) as Partial<SrpState>;
    if (
      typeof state.poolId !== "string" ||
      typeof state.clientId !== "string" ||
      typeof state.username !== "string" ||
      typeof state.b !== "string" ||
      typeof state.B !== "string" ||
      typeof state.A !== "string" ||
      typeof state.issuedAt !== "number"
    )
      return undefined;
    return state as SrpState;
  } catch {
    return undefined;
  }
}

// SimpleDateFormat("EEE MMM d HH:mm:ss z yyyy", Locale.ENGLISH) parses leniently: any day or month name,
// one- or two-digit fields, any zone word. Text it cannot parse is InvalidParameterException; text it
// parses but that is not how Cognito renders the instant (a padded day, a wrong weekday) only fails the
// signature, which Cognito computes over its own rendering.
const DAYS = "(?:Sun|Mon|Tue|Wed|Thu|Fri|Sat)[a-z]*";
const MONTHS = "(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*";
const PARSEABLE = new RegExp(
  `^${DAYS} ${MONTHS} \\d{1,2} \\d{1,2}:\\d{1,2}:\\d{1,2} [A-Za-z][\\w+:/-]* \\d{1,4}$`,
  "i",
);

/** Whether Cognito's parser would accept TIMESTAMP at all. */
export function timestampParses(text: string): boolean {
  return PARSEABLE.test(text);
}
