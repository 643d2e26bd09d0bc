// The local edge's AWS KMS (JSON 1.1, `TrentService.*`): what the Encryption SDK's KMS keyring calls, plus basics.
//
// Keys are symmetric (SYMMETRIC_DEFAULT, AES-256-GCM) and kept in the server's store. A key id or key ARN
// that was never created is created on first use: a pool's LambdaConfig.KMSKeyID names a key that
// exists in AWS, not here, and custom-sender handlers must still be able to decrypt under it.

import { AwsError } from "../shared/aws-error.js";
import type { Clock } from "../shared/clock.js";
import type { Random } from "../shared/random.js";
import { bool, int, list, serializationError, str, stringMap, struct } from "../shared/validation.js";
import type { Store, StoreTx } from "../store/port.js";
import { openBlob, parseBlob, sealBlob } from "./ciphertext.js";
import {
  aliasArnOf,
  aliasNameOf,
  createAlias,
  getAlias,
  getKey,
  getOrCreateKey,
  isKeyArn,
  type KeyRef,
  type KmsConfig,
  keyArnOf,
  listIndex,
  notFound,
  parseKeyRef,
  type StoredKey,
  splitKeyArn,
} from "./keys.js";

export const KMS_TARGET_PREFIX = "TrentService.";

export interface KmsDeps {
  store: Store;
  random: Random;
  clock: Clock;
  config: KmsConfig;
}

/** The description a key created on first use carries, so DescribeKey shows where it came from. */
export const AUTO_CREATED_DESCRIPTION = "Created on first use by the cognito-triggers local KMS";

const ALGORITHMS = ["SYMMETRIC_DEFAULT", "RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256", "SM2PKE"] as const;
const KEY_SPECS = [
  "RSA_2048",
  "RSA_3072",
  "RSA_4096",
  "ECC_NIST_P256",
  "ECC_NIST_P384",
  "ECC_NIST_P521",
  "ECC_SECG_P256K1",
  "SYMMETRIC_DEFAULT",
  "HMAC_224",
  "HMAC_256",
  "HMAC_384",
  "HMAC_512",
  "SM2",
  "ML_DSA_44",
  "ML_DSA_65",
  "ML_DSA_87",
];
const KEY_USAGES = ["SIGN_VERIFY", "ENCRYPT_DECRYPT", "GENERATE_VERIFY_MAC", "KEY_AGREEMENT"];
const ORIGINS = ["AWS_KMS", "EXTERNAL", "AWS_CLOUDHSM", "EXTERNAL_KEY_STORE"];

/** Every KMS operation: the ones not handled here answer UnsupportedOperationException, others are unknown. */
const KMS_OPERATIONS = new Set([
  "CancelKeyDeletion",
  "ConnectCustomKeyStore",
  "CreateAlias",
  "CreateCustomKeyStore",
  "CreateGrant",
  "CreateKey",
  "Decrypt",
  "DeleteAlias",
  "DeleteCustomKeyStore",
  "DeleteImportedKeyMaterial",
  "DeriveSharedSecret",
  "DescribeCustomKeyStores",
  "DescribeKey",
  "DisableKey",
  "DisableKeyRotation",
  "DisconnectCustomKeyStore",
  "EnableKey",
  "EnableKeyRotation",
  "Encrypt",
  "GenerateDataKey",
  "GenerateDataKeyPair",
  "GenerateDataKeyPairWithoutPlaintext",
  "GenerateDataKeyWithoutPlaintext",
  "GenerateMac",
  "GenerateRandom",
  "GetKeyPolicy",
  "GetKeyRotationStatus",
  "GetParametersForImport",
  "GetPublicKey",
  "ImportKeyMaterial",
  "ListAliases",
  "ListGrants",
  "ListKeyPolicies",
  "ListKeyRotations",
  "ListKeys",
  "ListResourceTags",
  "ListRetirableGrants",
  "PutKeyPolicy",
  "ReEncrypt",
  "ReplicateKey",
  "RetireGrant",
  "RevokeGrant",
  "RotateKeyOnDemand",
  "ScheduleKeyDeletion",
  "Sign",
  "TagResource",
  "UntagResource",
  "UpdateAlias",
  "UpdateCustomKeyStore",
  "UpdateKeyDescription",
  "UpdatePrimaryRegion",
  "Verify",
  "VerifyMac",
]);

const kmsError =
  (type: string, status = 400) =>
  (message: string) =>
    new AwsError(type, message, status);
const validationError = kmsError("ValidationException");
const invalidCiphertext = kmsError("InvalidCiphertextException");
const incorrectKey = kmsError("IncorrectKeyException");
const unsupported = kmsError("UnsupportedOperationException");

const INVALID_CIPHERTEXT =
  "The ciphertext is not valid, or it was not encrypted under this encryption context.";
const INCORRECT_KEY = "The key ID in the request does not identify a CMK that can perform this operation.";

// ---------------------------------------------------------------------------------------------------------
// Input validation: Smithy's wording as the Cognito front end uses it, but as KMS's ValidationException.

type Check = (value: unknown, member: string, errors: string[]) => unknown;

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** A blob member: base64 in JSON, checked for its decoded length; its value is never echoed. */
function blob(rule: { required?: boolean; min?: number; max?: number }): Check {
  return (value, member, errors) => {
    if (value === undefined || value === null) {
      if (rule.required)
        errors.push(`Value null at '${member}' failed to satisfy constraint: Member must not be null`);
      return undefined;
    }
    if (typeof value !== "string")
      throw serializationError(`BLOB_VALUE can not be converted to ${typeof value}`);
    if (!BASE64.test(value)) throw serializationError(`Base64 encoded blob at '${member}' is not valid`);
    const bytes = Buffer.from(value, "base64");
    if (rule.min !== undefined && bytes.length < rule.min)
      errors.push(
        `Value at '${member}' failed to satisfy constraint: Member must have length greater than or equal to ${rule.min}`,
      );
    if (rule.max !== undefined && bytes.length > rule.max)
      errors.push(
        `Value at '${member}' failed to satisfy constraint: Member must have length less than or equal to ${rule.max}`,
      );
    return bytes;
  };
}

function validate<T>(input: Record<string, unknown>, fields: Record<string, Check>): T {
  const errors: string[] = [];
  const out = struct(fields, { required: true })(input, "", errors) as T;
  if (errors.length > 0)
    throw validationError(
      `${errors.length} validation error${errors.length === 1 ? "" : "s"} detected: ${errors.join("; ")}`,
    );
  return out;
}

const KEY_ID = (required: boolean) => str({ required, min: 1, max: 2048 });
const GRANT_TOKENS = list(str({ min: 1, max: 8192 }), { max: 10 });
const ALGORITHM = str({ enum: ALGORITHMS });
const CONTEXT = stringMap();
const LIMIT = int({ min: 1, max: 1000 });
const MARKER = str({ min: 1, max: 1024, pattern: /^[\u0020-\u00FF]*$/, patternText: "[\\u0020-\\u00FF]*" });

type Context = Record<string, string>;

// ---------------------------------------------------------------------------------------------------------
// Keys

async function resolveAlias(tx: StoreTx, ref: Extract<KeyRef, { kind: "alias" }>): Promise<StoredKey> {
  const alias = await getAlias(tx, ref.arn, ref.name);
  if (!alias) throw notFound(`Alias ${ref.arn} is not found.`);
  const key = await getKey(tx, alias.targetKeyArn);
  if (!key) throw notFound(`Key '${alias.targetKeyArn}' does not exist`);
  return key;
}

/** The key `keyId` names, created on first use when it is a key id or ARN (aliases must exist). */
async function useKey(tx: StoreTx, keyId: string, deps: KmsDeps): Promise<StoredKey> {
  const ref = parseKeyRef(keyId, deps.config);
  if (ref.kind === "alias") return resolveAlias(tx, ref);
  const { key } = await getOrCreateKey(tx, ref.arn, () => ({
    material: deps.random.bytes(32),
    createdAt: deps.clock.now(),
    description: AUTO_CREATED_DESCRIPTION,
  }));
  return key;
}

/** The ARN of the key `keyId` names, without creating anything (Decrypt's KeyId, ListAliases' filter). */
async function keyArnNamed(tx: StoreTx, keyId: string, deps: KmsDeps): Promise<string> {
  const ref = parseKeyRef(keyId, deps.config);
  return ref.kind === "alias" ? (await resolveAlias(tx, ref)).arn : ref.arn;
}

function keyMetadata(key: StoredKey): Record<string, unknown> {
  return {
    AWSAccountId: key.accountId,
    KeyId: key.keyId,
    Arn: key.arn,
    CreationDate: key.createdAt / 1000,
    Enabled: true,
    Description: key.description,
    KeyUsage: "ENCRYPT_DECRYPT",
    KeyState: "Enabled",
    Origin: "AWS_KMS",
    KeyManager: "CUSTOMER",
    CustomerMasterKeySpec: "SYMMETRIC_DEFAULT",
    KeySpec: "SYMMETRIC_DEFAULT",
    EncryptionAlgorithms: ["SYMMETRIC_DEFAULT"],
    MultiRegion: key.multiRegion,
    ...(key.multiRegion
      ? {
          MultiRegionConfiguration: {
            MultiRegionKeyType: "PRIMARY",
            PrimaryKey: { Arn: key.arn, Region: key.region },
            ReplicaKeys: [],
          },
        }
      : {}),
  };
}

function requireSymmetric(key: StoredKey, algorithm: string | undefined): void {
  if (algorithm !== undefined && algorithm !== "SYMMETRIC_DEFAULT")
    throw kmsError("InvalidKeyUsageException")(
      `${key.arn} key usage is ENCRYPT_DECRYPT and key spec is SYMMETRIC_DEFAULT, which does not support ${algorithm}.`,
    );
}

function dryRun(enabled: boolean | undefined): void {
  if (enabled)
    throw kmsError(
      "DryRunOperationException",
      412,
    )("The request would have succeeded, but the DryRun option is set.");
}

function seal(deps: KmsDeps, key: StoredKey, plaintext: Buffer, context: Context | undefined): string {
  return sealBlob(key.arn, key.material, deps.random.bytes(12), plaintext, context ?? {}).toString("base64");
}

/** The plaintext sealed in `ciphertext`, checking the KeyId (when given) and the encryption context. */
async function unseal(
  tx: StoreTx,
  deps: KmsDeps,
  ciphertext: Buffer,
  keyId: string | undefined,
  context: Context | undefined,
): Promise<{ key: StoredKey; plaintext: Buffer }> {
  const parsed = parseBlob(ciphertext);
  if (!parsed || !isKeyArn(parsed.keyArn)) throw invalidCiphertext(INVALID_CIPHERTEXT);
  if (keyId !== undefined && (await keyArnNamed(tx, keyId, deps)) !== parsed.keyArn)
    throw incorrectKey(INCORRECT_KEY);
  const key = await getKey(tx, parsed.keyArn);
  if (!key) throw notFound(`Key '${parsed.keyArn}' does not exist`);
  const plaintext = openBlob(parsed, key.material, context ?? {});
  if (!plaintext) throw invalidCiphertext(INVALID_CIPHERTEXT);
  return { key, plaintext };
}

// ---------------------------------------------------------------------------------------------------------
// Operations

type Handler = (input: Record<string, unknown>, deps: KmsDeps) => Promise<unknown>;

const transaction = <T>(deps: KmsDeps, work: (tx: StoreTx) => Promise<T>) => deps.store.transaction(work);

const CreateKey: Handler = async (input, deps) => {
  const request = validate<{
    Description?: string;
    KeyUsage?: string;
    CustomerMasterKeySpec?: string;
    KeySpec?: string;
    Origin?: string;
    CustomKeyStoreId?: string;
    MultiRegion?: boolean;
    XksKeyId?: string;
  }>(input, {
    Policy: str({ min: 1, max: 131072 }),
    Description: str({ max: 8192 }),
    KeyUsage: str({ enum: KEY_USAGES }),
    CustomerMasterKeySpec: str({ enum: KEY_SPECS }),
    KeySpec: str({ enum: KEY_SPECS }),
    Origin: str({ enum: ORIGINS }),
    CustomKeyStoreId: str({ min: 1, max: 64 }),
    BypassPolicyLockoutSafetyCheck: bool(),
    Tags: list(
      struct({
        TagKey: str({ required: true, min: 1, max: 128 }),
        TagValue: str({ required: true, max: 256 }),
      }),
    ),
    MultiRegion: bool(),
    XksKeyId: str({ min: 1, max: 128 }),
  });
  const spec = request.KeySpec ?? request.CustomerMasterKeySpec ?? "SYMMETRIC_DEFAULT";
  const usage = request.KeyUsage ?? "ENCRYPT_DECRYPT";
  if (spec !== "SYMMETRIC_DEFAULT" || usage !== "ENCRYPT_DECRYPT")
    throw unsupported(
      `The cognito-triggers local KMS only has SYMMETRIC_DEFAULT keys for ENCRYPT_DECRYPT, not ${spec} for ${usage}.`,
    );
  if ((request.Origin ?? "AWS_KMS") !== "AWS_KMS" || request.CustomKeyStoreId || request.XksKeyId)
    throw unsupported("The cognito-triggers local KMS only has keys with origin AWS_KMS.");
  const keyId = request.MultiRegion ? `mrk-${deps.random.bytes(16).toString("hex")}` : deps.random.uuid();
  const arn = keyArnOf(deps.config, keyId);
  const key = await transaction(deps, async (tx) => {
    const { key } = await getOrCreateKey(tx, arn, () => ({
      material: deps.random.bytes(32),
      createdAt: deps.clock.now(),
      description: request.Description ?? "",
    }));
    return key;
  });
  return { KeyMetadata: keyMetadata(key) };
};

const DescribeKey: Handler = async (input, deps) => {
  const request = validate<{ KeyId: string }>(input, { KeyId: KEY_ID(true), GrantTokens: GRANT_TOKENS });
  const key = await transaction(deps, (tx) => useKey(tx, request.KeyId, deps));
  return { KeyMetadata: keyMetadata(key) };
};

/** Slot-numbered entries from `from` on, `limit` of them, with the marker of the next page. */
function page<T extends { slot: number }>(
  entries: T[],
  marker: string | undefined,
  limit: number | undefined,
): { items: T[]; next: string | undefined } {
  let from = 0;
  if (marker !== undefined) {
    if (!/^\d{1,9}$/.test(marker)) throw kmsError("InvalidMarkerException")("Invalid marker");
    from = Number(marker);
  }
  const rest = entries.filter((entry) => entry.slot >= from);
  const items = rest.slice(0, limit ?? 100);
  const after = rest[items.length];
  return { items, next: after === undefined ? undefined : String(after.slot) };
}

const ListKeys: Handler = async (input, deps) => {
  const request = validate<{ Limit?: number; Marker?: string }>(input, { Limit: LIMIT, Marker: MARKER });
  const arns = await transaction(deps, (tx) => listIndex(tx, "key"));
  const { items, next } = page(
    arns.map((arn, slot) => ({ arn, slot })),
    request.Marker,
    request.Limit,
  );
  return {
    Keys: items.map(({ arn }) => ({ KeyId: splitKeyArn(arn).keyId, KeyArn: arn })),
    Truncated: next !== undefined,
    ...(next !== undefined ? { NextMarker: next } : {}),
  };
};

const ALIAS_NAME = str({
  required: true,
  min: 1,
  max: 256,
  pattern: /^[a-zA-Z0-9:/_-]+$/,
  patternText: "^[a-zA-Z0-9:/_-]+$",
});

const CreateAlias: Handler = async (input, deps) => {
  const request = validate<{ AliasName: string; TargetKeyId: string }>(input, {
    AliasName: ALIAS_NAME,
    TargetKeyId: KEY_ID(true),
  });
  if (!request.AliasName.startsWith("alias/"))
    throw validationError(
      'Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html',
    );
  if (request.AliasName.startsWith("alias/aws/"))
    throw kmsError("NotAuthorizedException")("Cannot create alias with prefix 'alias/aws/'");
  const aliasArn = aliasArnOf(deps.config, request.AliasName);
  await transaction(deps, async (tx) => {
    const target = parseKeyRef(request.TargetKeyId, deps.config);
    if (target.kind === "alias") throw validationError("Aliases must refer to keys. Not aliases");
    const key = await useKey(tx, target.arn, deps);
    if (!(await createAlias(tx, aliasArn, key.arn, deps.clock.now())))
      throw kmsError("AlreadyExistsException")(`An alias with the name ${aliasArn} already exists`);
  });
  return {};
};

const ListAliases: Handler = async (input, deps) => {
  const request = validate<{ KeyId?: string; Limit?: number; Marker?: string }>(input, {
    KeyId: KEY_ID(false),
    Limit: LIMIT,
    Marker: MARKER,
  });
  const entries = await transaction(deps, async (tx) => {
    const only = request.KeyId === undefined ? undefined : await keyArnNamed(tx, request.KeyId, deps);
    const out: { slot: number; arn: string; target: string; createdAt: number }[] = [];
    const arns = await listIndex(tx, "alias");
    for (const [slot, arn] of arns.entries()) {
      const alias = await getAlias(tx, arn, aliasNameOf(arn));
      if (alias && (only === undefined || alias.targetKeyArn === only))
        out.push({ slot, arn, target: alias.targetKeyArn, createdAt: alias.createdAt });
    }
    return out;
  });
  const { items, next } = page(entries, request.Marker, request.Limit);
  return {
    Aliases: items.map((alias) => ({
      AliasName: aliasNameOf(alias.arn),
      AliasArn: alias.arn,
      TargetKeyId: splitKeyArn(alias.target).keyId,
      CreationDate: alias.createdAt / 1000,
      LastUpdatedDate: alias.createdAt / 1000,
    })),
    Truncated: next !== undefined,
    ...(next !== undefined ? { NextMarker: next } : {}),
  };
};

const Encrypt: Handler = async (input, deps) => {
  const request = validate<{
    KeyId: string;
    Plaintext: Buffer;
    EncryptionContext?: Context;
    EncryptionAlgorithm?: string;
    DryRun?: boolean;
  }>(input, {
    KeyId: KEY_ID(true),
    Plaintext: blob({ required: true, min: 1, max: 4096 }),
    EncryptionContext: CONTEXT,
    GrantTokens: GRANT_TOKENS,
    EncryptionAlgorithm: ALGORITHM,
    DryRun: bool(),
  });
  return transaction(deps, async (tx) => {
    const key = await useKey(tx, request.KeyId, deps);
    requireSymmetric(key, request.EncryptionAlgorithm);
    dryRun(request.DryRun);
    return {
      CiphertextBlob: seal(deps, key, request.Plaintext, request.EncryptionContext),
      KeyId: key.arn,
      EncryptionAlgorithm: "SYMMETRIC_DEFAULT",
    };
  });
};

const DATA_KEY_FIELDS = {
  KeyId: KEY_ID(true),
  EncryptionContext: CONTEXT,
  NumberOfBytes: int({ min: 1, max: 1024 }),
  KeySpec: str({ enum: ["AES_256", "AES_128"] }),
  GrantTokens: GRANT_TOKENS,
  DryRun: bool(),
};

interface DataKeyRequest {
  KeyId: string;
  EncryptionContext?: Context;
  NumberOfBytes?: number;
  KeySpec?: string;
  Recipient?: unknown;
  DryRun?: boolean;
}

async function generateDataKey(
  input: Record<string, unknown>,
  deps: KmsDeps,
): Promise<{ CiphertextBlob: string; Plaintext: string; KeyId: string }> {
  const request = validate<DataKeyRequest>(input, DATA_KEY_FIELDS);
  if ((request.NumberOfBytes === undefined) === (request.KeySpec === undefined))
    throw validationError("Please specify either number of bytes or key spec.");
  if (request.Recipient !== undefined)
    throw unsupported("The cognito-triggers local KMS does not support Recipient (Nitro Enclaves).");
  const size = request.NumberOfBytes ?? (request.KeySpec === "AES_128" ? 16 : 32);
  return transaction(deps, async (tx) => {
    const key = await useKey(tx, request.KeyId, deps);
    dryRun(request.DryRun);
    const dataKey = deps.random.bytes(size);
    return {
      CiphertextBlob: seal(deps, key, dataKey, request.EncryptionContext),
      Plaintext: dataKey.toString("base64"),
      KeyId: key.arn,
    };
  });
}

const GenerateDataKey: Handler = (input, deps) => generateDataKey(input, deps);

const GenerateDataKeyWithoutPlaintext: Handler = async (input, deps) => {
  const { CiphertextBlob, KeyId } = await generateDataKey(input, deps);
  return { CiphertextBlob, KeyId };
};

const Decrypt: Handler = async (input, deps) => {
  const request = validate<{
    CiphertextBlob: Buffer;
    EncryptionContext?: Context;
    KeyId?: string;
    EncryptionAlgorithm?: string;
    Recipient?: unknown;
    DryRun?: boolean;
  }>(input, {
    CiphertextBlob: blob({ required: true, min: 1, max: 6144 }),
    EncryptionContext: CONTEXT,
    GrantTokens: GRANT_TOKENS,
    KeyId: KEY_ID(false),
    EncryptionAlgorithm: ALGORITHM,
    DryRun: bool(),
  });
  if (request.Recipient !== undefined)
    throw unsupported("The cognito-triggers local KMS does not support Recipient (Nitro Enclaves).");
  return transaction(deps, async (tx) => {
    const { key, plaintext } = await unseal(
      tx,
      deps,
      request.CiphertextBlob,
      request.KeyId,
      request.EncryptionContext,
    );
    requireSymmetric(key, request.EncryptionAlgorithm);
    dryRun(request.DryRun);
    return {
      KeyId: key.arn,
      Plaintext: plaintext.toString("base64"),
      EncryptionAlgorithm: "SYMMETRIC_DEFAULT",
    };
  });
};

const ReEncrypt: Handler = async (input, deps) => {
  const request = validate<{
    CiphertextBlob: Buffer;
    SourceEncryptionContext?: Context;
    SourceKeyId?: string;
    DestinationKeyId: string;
    DestinationEncryptionContext?: Context;
    SourceEncryptionAlgorithm?: string;
    DestinationEncryptionAlgorithm?: string;
    DryRun?: boolean;
  }>(input, {
    CiphertextBlob: blob({ required: true, min: 1, max: 6144 }),
    SourceEncryptionContext: CONTEXT,
    SourceKeyId: KEY_ID(false),
    DestinationKeyId: KEY_ID(true),
    DestinationEncryptionContext: CONTEXT,
    SourceEncryptionAlgorithm: ALGORITHM,
    DestinationEncryptionAlgorithm: ALGORITHM,
    GrantTokens: GRANT_TOKENS,
    DryRun: bool(),
  });
  return transaction(deps, async (tx) => {
    const source = await unseal(
      tx,
      deps,
      request.CiphertextBlob,
      request.SourceKeyId,
      request.SourceEncryptionContext,
    );
    requireSymmetric(source.key, request.SourceEncryptionAlgorithm);
    const destination = await useKey(tx, request.DestinationKeyId, deps);
    requireSymmetric(destination, request.DestinationEncryptionAlgorithm);
    dryRun(request.DryRun);
    return {
      CiphertextBlob: seal(deps, destination, source.plaintext, request.DestinationEncryptionContext),
      SourceKeyId: source.key.arn,
      KeyId: destination.arn,
      SourceEncryptionAlgorithm: "SYMMETRIC_DEFAULT",
      DestinationEncryptionAlgorithm: "SYMMETRIC_DEFAULT",
    };
  });
};

const GenerateRandom: Handler = async (input, deps) => {
  const request = validate<{ NumberOfBytes: number; CustomKeyStoreId?: string; Recipient?: unknown }>(input, {
    NumberOfBytes: int({ required: true, min: 1, max: 1024 }),
    CustomKeyStoreId: str({ min: 1, max: 64 }),
  });
  if (request.CustomKeyStoreId !== undefined)
    throw unsupported("The cognito-triggers local KMS has no custom key stores.");
  if (request.Recipient !== undefined)
    throw unsupported("The cognito-triggers local KMS does not support Recipient (Nitro Enclaves).");
  return { Plaintext: deps.random.bytes(request.NumberOfBytes).toString("base64") };
};

const HANDLERS: Record<string, Handler> = {
  CreateKey,
  DescribeKey,
  ListKeys,
  CreateAlias,
  ListAliases,
  Encrypt,
  Decrypt,
  GenerateDataKey,
  GenerateDataKeyWithoutPlaintext,
  ReEncrypt,
  GenerateRandom,
};

/** The operations this local KMS answers. */
export const KMS_ACTIONS: readonly string[] = Object.keys(HANDLERS);

/**
 * Runs one KMS operation (`name` without the `TrentService.` prefix) and returns its JSON output.
 * Failures are CognitoErrors named as KMS names them; anything unexpected becomes KMSInternalException
 * (500) with the original error as `cause`, for the caller to log.
 */
export async function handleKmsAction(name: string, input: unknown, deps: KmsDeps): Promise<unknown> {
  const handler = Object.hasOwn(HANDLERS, name) ? HANDLERS[name] : undefined;
  if (!handler) {
    throw KMS_OPERATIONS.has(name)
      ? unsupported(`${name} is not supported by the cognito-triggers local KMS (see docs/parity.md).`)
      : new AwsError("UnknownOperationException", `Unknown operation ${KMS_TARGET_PREFIX}${name}`);
  }
  if (typeof input !== "object" || input === null || Array.isArray(input))
    throw serializationError("Start of structure or map found where not expected.");
  try {
    return await handler(input as Record<string, unknown>, deps);
  } catch (error) {
    if (error instanceof AwsError) throw error;
    const internal = new AwsError("KMSInternalException", "An internal error occurred.", 500);
    (internal as Error & { cause?: unknown }).cause = error;
    throw internal;
  }
}
