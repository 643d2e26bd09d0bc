// Creating and changing users: new usernames, sign-in aliases that move between users, and the client checks of unauthenticated calls.
import { createHash } from "node:crypto";
import type { Random } from "../../shared/random.js";
import type { ClientRecord, PoolRecord, UserRecord } from "../../store/model.js";
import { type StoreTx, UniqueViolation } from "../../store/port.js";
import type { ActionContext } from "../context.js";
import { aliasExists, invalidParameter, usernameExists } from "../errors.js";
import { loadClient } from "./clients.js";
import { type CodeDeliveryDetails, maskDestination } from "./delivery.js";
import { aliasAttributes, autoVerifiedAttributes, loadPool, usernameAttributes } from "./pools.js";
import { EMAIL_PATTERN, PHONE_PATTERN, VERIFIED_FLAGS } from "./schema.js";
import { aliasKey, normalise, userIndex, userKeys } from "./users.js";

/** The app client named by an unauthenticated call and its pool. */
export async function loadClientAndPool(
  tx: StoreTx,
  clientId: string,
): Promise<{ client: ClientRecord; pool: PoolRecord }> {
  const client = await loadClient(tx, clientId);
  const pool = await loadPool(tx, client.poolId);
  return { client, pool };
}

export const isEmail = (value: string): boolean => EMAIL_PATTERN.test(value);
export const isPhoneNumber = (value: string): boolean => PHONE_PATTERN.test(value);

export interface NewName {
  /** The internal username: what was typed, or a UUID (= sub) in pools with UsernameAttributes. */
  username: string;
  sub: string;
  /** The attribute the typed name is, in pools with UsernameAttributes (`{email: typed}`). */
  attributes: Record<string, string>;
}

/**
 * The username and sub of a user about to be created from the name the caller typed, refusing names
 * the pool's sign-in configuration does not allow.
 */
export function newUserName(pool: PoolRecord, typed: string, random: Random): NewName {
  const sub = random.uuid();
  const signIn = usernameAttributes(pool);
  if (signIn.length > 0) {
    const email = signIn.includes("email") && isEmail(typed);
    const phone = signIn.includes("phone_number") && isPhoneNumber(typed);
    if (!email && !phone) {
      if (signIn.length > 1) throw invalidParameter("Username should be either an email or a phone number.");
      throw invalidParameter(
        signIn[0] === "email" ? "Username should be an email." : "Username should be a phone number.",
      );
    }
    return { username: sub, sub, attributes: email ? { email: typed } : { phone_number: typed } };
  }
  // An alias must never be mistaken for another user's username, so usernames cannot look like one.
  const aliases = aliasAttributes(pool);
  if (aliases.includes("email") && isEmail(typed))
    throw invalidParameter(
      "Username cannot be of email format, since user pool is configured for email alias.",
    );
  if (aliases.includes("phone_number") && isPhoneNumber(typed))
    throw invalidParameter(
      "Username cannot be of phone number format, since user pool is configured for phone number alias.",
    );
  return { username: typed, sub, attributes: {} };
}

/**
 * The error creating a user with this name would end in, found before any trigger runs: a taken
 * username, or in UsernameAttributes pools a taken email / phone number.
 */
export async function nameTaken(
  tx: StoreTx,
  pool: PoolRecord,
  name: NewName,
  usernameMessage: string,
): Promise<Error | undefined> {
  if (await tx.getUserByKey(pool.id, normalise(pool, "username", name.username)))
    return usernameExists(usernameMessage);
  for (const [attribute, value] of Object.entries(name.attributes)) {
    if (await tx.getUserByAlias(pool.id, aliasKey(pool, attribute, value)))
      return usernameExists(`An account with the given ${attribute} already exists.`);
  }
  return undefined;
}

/**
 * The name checked again just before CustomMessage runs for a new user (SignUp, AdminCreateUser): a
 * creation that lost the name to another one while PreSignUp ran fails here, before any message
 * trigger, as on Cognito, which creates the user before CustomMessage and so never runs it for a
 * creation that fails on the name. A rival that takes the name while CustomMessage itself runs still
 * wins the insert; this creation then fails with UsernameExistsException after its CustomMessage ran,
 * with no code stored and nothing recorded or sent. Closing that last window would mean writing the
 * user before composing its message, in a transaction of its own, which is what could leave a user
 * without the code the message carries.
 */
export async function requireNameStillFree(
  ctx: ActionContext,
  pool: PoolRecord,
  name: NewName,
  usernameMessage: string,
): Promise<void> {
  const taken = await ctx.store.transaction((tx) => nameTaken(tx, pool, name, usernameMessage));
  if (taken) throw taken;
}

/** `[{Name, Value}]` (ValidationData) as the string map a trigger receives, or null when absent. */
export function attributeMap(
  list: readonly { Name: string; Value?: string | undefined }[] | undefined,
): Record<string, string> | null {
  if (!list) return null;
  const out: Record<string, string> = {};
  for (const { Name, Value } of list) out[Name] = Value ?? "";
  return out;
}

/** Attributes as given, without the entries that had no Value. */
export function presentAttributes(map: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(map)) if (value !== undefined) out[name] = value;
  return out;
}

/**
 * Takes the user's verified email/phone aliases away from whoever holds them now (ForceAliasCreation,
 * PreSignUp auto-verification): the previous holder keeps the value, unverified, so it no longer
 * signs them in. preferred_username cannot be taken this way.
 */
export async function takeAliases(
  tx: StoreTx,
  pool: PoolRecord,
  user: UserRecord,
  now: number,
): Promise<void> {
  for (const attribute of aliasAttributes(pool)) {
    const flag = VERIFIED_FLAGS[attribute];
    const value = user.attributes[attribute];
    if (!flag || !value || user.attributes[flag] !== "true") continue;
    const holder = await tx.getUserByAlias(pool.id, aliasKey(pool, attribute, value));
    if (!holder || holder.user.username === user.username) continue;
    const previous: UserRecord = {
      ...holder.user,
      attributes: { ...holder.user.attributes, [flag]: "false" },
      lastModifiedAt: now,
    };
    await tx.updateUser(previous, userKeys(pool, previous), userIndex(pool, previous));
  }
}

/**
 * Inserts a new user. A taken username is UsernameExistsException worded as the calling action words
 * it; in UsernameAttributes pools a taken email/phone is too, elsewhere a taken alias is AliasExistsException.
 */
export async function insertNewUser(
  tx: StoreTx,
  pool: PoolRecord,
  user: UserRecord,
  usernameMessage: string,
): Promise<void> {
  try {
    await tx.insertUser(user, userKeys(pool, user), userIndex(pool, user));
  } catch (error) {
    if (!(error instanceof UniqueViolation)) throw error;
    if (error.kind === "username") throw usernameExists(usernameMessage);
    if (error.attribute && usernameAttributes(pool).includes(error.attribute))
      throw usernameExists(`An account with the given ${error.attribute} already exists.`);
    throw aliasExists(aliasMessage(error.attribute));
  }
}

function aliasMessage(attribute: string | undefined): string {
  return `An account with the given ${attribute ?? "email"} already exists.`;
}

/**
 * Saves changes to an existing user. Unlike users.ts's updateUser, an email or phone that is another
 * user's sign-in name is AliasExistsException in every pool, UsernameAttributes pools included: the
 * user exists already, so nothing is a duplicate username.
 */
export async function saveUser(tx: StoreTx, pool: PoolRecord, user: UserRecord): Promise<void> {
  try {
    await tx.updateUser(user, userKeys(pool, user), userIndex(pool, user));
  } catch (error) {
    if (!(error instanceof UniqueViolation)) throw error;
    if (error.kind === "username") throw usernameExists("User already exists");
    throw aliasExists(aliasMessage(error.attribute));
  }
}

function fakeFrom(seed: string, alphabet: string, length: number): string {
  const digest = createHash("sha256").update(seed).digest();
  let out = "";
  for (let i = 0; i < length; i++) out += alphabet.charAt((digest[i] ?? 0) % alphabet.length);
  return out;
}

/**
 * CodeDeliveryDetails for a user that does not exist (PreventUserExistenceErrors=ENABLED), so the
 * answer looks like a real one: the typed name's own medium when it is an email or phone number,
 * else the first of `attributes` the pool would use, with a destination derived from the name so
 * that asking twice gives the same answer.
 */
export function simulatedDetails(
  pool: PoolRecord,
  typed: string,
  attributes: readonly string[],
): CodeDeliveryDetails {
  if (isEmail(typed))
    return { Destination: maskDestination("EMAIL", typed), DeliveryMedium: "EMAIL", AttributeName: "email" };
  if (isPhoneNumber(typed))
    return {
      Destination: maskDestination("SMS", typed),
      DeliveryMedium: "SMS",
      AttributeName: "phone_number",
    };
  const seed = `${pool.id}\u0000${typed}`;
  if (attributes[0] === "phone_number") {
    const phone = `+1${fakeFrom(seed, "0123456789", 10)}`;
    return {
      Destination: maskDestination("SMS", phone),
      DeliveryMedium: "SMS",
      AttributeName: "phone_number",
    };
  }
  const letters = "abcdefghijklmnopqrstuvwxyz";
  const email = `${fakeFrom(seed, letters, 1)}@${fakeFrom(`${seed}@`, letters, 1)}.com`;
  return { Destination: maskDestination("EMAIL", email), DeliveryMedium: "EMAIL", AttributeName: "email" };
}

/** The attributes a sign-up code would go to, in the order signUpDestination tries them. */
export function signUpCodeAttributes(pool: PoolRecord): string[] {
  const auto = autoVerifiedAttributes(pool);
  return ["phone_number", "email"].filter((a) => auto.includes(a));
}
