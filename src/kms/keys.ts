// KMS keys on the local edge: key ids, key ARNs and aliases, with key material and indexes kept in the store.
//
// The store port only offers create-once secrets (`getOrCreateSecret`), so every record here is written
// once and never changed: a key (`kms:<key arn>`), an alias (`kms:<alias arn>`), and append-only index
// slots (`kms:index:key:<n>`, `kms:index:alias:<n>`) that let ListKeys/ListAliases enumerate them.
import { AwsError } from "../shared/aws-error.js";
import type { StoreTx } from "../store/port.js";

export interface KmsConfig {
  region: string;
  accountId: string;
}

/** What a `KeyId` parameter names: a key (by id or ARN) or an alias (by name or ARN). */
export type KeyRef = { kind: "key"; arn: string } | { kind: "alias"; arn: string; name: string };

/** A symmetric key as kept in the store. */
export interface StoredKey {
  arn: string;
  /** The part after `key/`: a UUID, or `mrk-<32 hex>` for multi-Region keys. */
  keyId: string;
  accountId: string;
  region: string;
  /** 32 bytes of AES-256-GCM key material. */
  material: Buffer;
  /** Epoch ms. */
  createdAt: number;
  description: string;
  multiRegion: boolean;
}

export interface StoredAlias {
  arn: string;
  /** `alias/<name>`. */
  name: string;
  targetKeyArn: string;
  /** Epoch ms. */
  createdAt: number;
}

interface KeyRecord {
  v: 1;
  material: string;
  createdAt: number;
  description: string;
}

interface AliasRecord {
  v: 1;
  target: string;
  createdAt: number;
}

export const notFound = (message: string) => new AwsError("NotFoundException", message);

/** ARNs outside the commercial partition use their own partition name. */
export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  if (region.startsWith("us-iso-")) return "aws-iso";
  if (region.startsWith("us-isob-")) return "aws-iso-b";
  return "aws";
}

const KEY_ID = /^[A-Za-z0-9_-]{1,128}$/;
const ALIAS_NAME = /^alias\/[a-zA-Z0-9/_-]{1,250}$/;
const KMS_ARN = /^arn:(aws[a-z-]*):kms:([a-z0-9-]*):(\d{12}):(key|alias)\/(.+)$/;

export const keyArnOf = (config: KmsConfig, keyId: string) =>
  `arn:${partitionOf(config.region)}:kms:${config.region}:${config.accountId}:key/${keyId}`;

export const aliasArnOf = (config: KmsConfig, aliasName: string) =>
  `arn:${partitionOf(config.region)}:kms:${config.region}:${config.accountId}:${aliasName}`;

/**
 * Resolves the forms KMS accepts for `KeyId`: a key id, a key ARN, `alias/<name>` or an alias ARN.
 * Bare ids and alias names belong to the server's own account and Region; ARNs keep theirs, so a pool's
 * `KMSKeyID` naming a key in another account still resolves to that exact ARN.
 */
export function parseKeyRef(value: string, config: KmsConfig): KeyRef {
  if (value.startsWith("arn:")) {
    const match = KMS_ARN.exec(value);
    if (!match) throw notFound(`Invalid arn ${value}`);
    const [, , , , kind, rest] = match as unknown as [string, string, string, string, string, string];
    if (kind === "key") {
      if (!KEY_ID.test(rest)) throw notFound(`Invalid arn ${value}`);
      return { kind: "key", arn: value };
    }
    const name = `alias/${rest}`;
    if (!ALIAS_NAME.test(name)) throw notFound(`Invalid arn ${value}`);
    return { kind: "alias", arn: value, name };
  }
  if (value.startsWith("alias/")) {
    if (!ALIAS_NAME.test(value)) throw notFound(`Alias ${aliasArnOf(config, value)} is not found.`);
    return { kind: "alias", arn: aliasArnOf(config, value), name: value };
  }
  if (!KEY_ID.test(value)) throw notFound(`Invalid keyId '${value}'`);
  return { kind: "key", arn: keyArnOf(config, value) };
}

export function isKeyArn(value: string): boolean {
  const match = KMS_ARN.exec(value);
  return match?.[4] === "key" && KEY_ID.test(match[5] ?? "");
}

/** Account, Region and key id of a key ARN that `parseKeyRef` accepted. */
export function splitKeyArn(arn: string): { accountId: string; region: string; keyId: string } {
  const match = KMS_ARN.exec(arn);
  if (match?.[4] !== "key") throw new Error(`not a KMS key ARN: ${arn}`);
  return { region: match[2] ?? "", accountId: match[3] ?? "", keyId: match[5] ?? "" };
}

class Absent extends Error {}

/** A secret's value, or undefined: `create` throwing makes getOrCreateSecret write nothing. */
async function peekSecret(tx: StoreTx, name: string): Promise<string | undefined> {
  try {
    return await tx.getOrCreateSecret(name, () => {
      throw new Absent();
    });
  } catch (error) {
    if (error instanceof Absent) return undefined;
    throw error;
  }
}

/** Creates `name` with `value` unless it exists; true when this call created it. */
async function createOnce(tx: StoreTx, name: string, value: () => string): Promise<boolean> {
  let created = false;
  await tx.getOrCreateSecret(name, () => {
    created = true;
    return value();
  });
  return created;
}

type IndexKind = "key" | "alias";

const slotName = (kind: IndexKind, n: number) => `kms:index:${kind}:${n}`;

/** Appends `arn` to the index (slots are create-once, so the first free slot takes it). */
async function appendToIndex(tx: StoreTx, kind: IndexKind, arn: string): Promise<void> {
  for (let n = 0; ; n++) {
    const holder = await tx.getOrCreateSecret(slotName(kind, n), () => arn);
    if (holder === arn) return;
  }
}

/** Every indexed ARN, in the order they were created (position = slot number). */
export async function listIndex(tx: StoreTx, kind: IndexKind): Promise<string[]> {
  const arns: string[] = [];
  for (let n = 0; ; n++) {
    const arn = await peekSecret(tx, slotName(kind, n));
    if (arn === undefined) return arns;
    arns.push(arn);
  }
}

function toKey(arn: string, text: string): StoredKey {
  const record = JSON.parse(text) as KeyRecord;
  const { accountId, region, keyId } = splitKeyArn(arn);
  return {
    arn,
    keyId,
    accountId,
    region,
    material: Buffer.from(record.material, "base64"),
    createdAt: record.createdAt,
    description: record.description,
    multiRegion: keyId.startsWith("mrk-"),
  };
}

export async function getKey(tx: StoreTx, arn: string): Promise<StoredKey | undefined> {
  const text = await peekSecret(tx, `kms:${arn}`);
  return text === undefined ? undefined : toKey(arn, text);
}

export interface NewKey {
  material: Buffer;
  createdAt: number;
  description: string;
}

/** The key stored under `arn`, created from `make()` when there is none; `created` tells which. */
export async function getOrCreateKey(
  tx: StoreTx,
  arn: string,
  make: () => NewKey,
): Promise<{ key: StoredKey; created: boolean }> {
  let created = false;
  const text = await tx.getOrCreateSecret(`kms:${arn}`, () => {
    created = true;
    const fresh = make();
    const record: KeyRecord = {
      v: 1,
      material: fresh.material.toString("base64"),
      createdAt: fresh.createdAt,
      description: fresh.description,
    };
    return JSON.stringify(record);
  });
  if (created) await appendToIndex(tx, "key", arn);
  return { key: toKey(arn, text), created };
}

export async function getAlias(tx: StoreTx, arn: string, name: string): Promise<StoredAlias | undefined> {
  const text = await peekSecret(tx, `kms:${arn}`);
  if (text === undefined) return undefined;
  const record = JSON.parse(text) as AliasRecord;
  return { arn, name, targetKeyArn: record.target, createdAt: record.createdAt };
}

/** False when the alias already exists (aliases cannot be re-pointed: the store keeps them write-once). */
export async function createAlias(
  tx: StoreTx,
  arn: string,
  targetKeyArn: string,
  createdAt: number,
): Promise<boolean> {
  const record: AliasRecord = { v: 1, target: targetKeyArn, createdAt };
  const created = await createOnce(tx, `kms:${arn}`, () => JSON.stringify(record));
  if (created) await appendToIndex(tx, "alias", arn);
  return created;
}

/** `alias/<name>` of an alias ARN. */
export function aliasNameOf(arn: string): string {
  const at = arn.indexOf(":alias/");
  return at < 0 ? arn : arn.slice(at + 1);
}
