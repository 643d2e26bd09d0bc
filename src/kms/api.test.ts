// The local KMS operations called directly, on the memory and the SQLite store.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AwsError as CognitoError } from "../shared/aws-error.js";
import { fixedClock } from "../shared/clock.js";
import { cryptoRandom } from "../shared/random.js";
import { openStore } from "../store/index.js";
import type { Store } from "../store/port.js";
import { AUTO_CREATED_DESCRIPTION, handleKmsAction, KMS_ACTIONS, type KmsDeps } from "./api.js";

const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
const CONFIG = { region: "us-east-1", accountId: "000000000000" };
const FOREIGN_ARN = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

async function failure(work: Promise<unknown>): Promise<{ type: string; message: string; status: number }> {
  try {
    await work;
  } catch (error) {
    if (error instanceof CognitoError)
      return { type: error.type, message: error.message, status: error.status };
    throw error;
  }
  throw new Error("expected the operation to fail");
}

const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64");
const text = (base64: unknown) => Buffer.from(String(base64), "base64").toString("utf8");

describe.each(["memory", "sqlite"] as const)("local KMS on the %s store", (kind) => {
  let store: Store;
  let dir: string | undefined;
  let deps: KmsDeps;
  const call = (name: string, input: Record<string, unknown>) =>
    handleKmsAction(name, input, deps) as Promise<Record<string, unknown>>;

  beforeAll(async () => {
    if (kind === "sqlite") {
      dir = await mkdtemp(join(tmpdir(), "kms-api-"));
      store = await openStore({ dataDir: dir });
    } else {
      store = await openStore({ memory: true });
    }
    deps = { store, random: cryptoRandom, clock: fixedClock(NOW), config: CONFIG };
  });
  afterAll(async () => {
    await store.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("CreateKey answers KMS's KeyMetadata for a symmetric key", async () => {
    const { KeyMetadata } = await call("CreateKey", { Description: "codes" });
    const metadata = KeyMetadata as Record<string, unknown>;
    expect(metadata).toMatchObject({
      AWSAccountId: "000000000000",
      CreationDate: NOW / 1000,
      Enabled: true,
      Description: "codes",
      KeyUsage: "ENCRYPT_DECRYPT",
      KeyState: "Enabled",
      Origin: "AWS_KMS",
      KeyManager: "CUSTOMER",
      KeySpec: "SYMMETRIC_DEFAULT",
      CustomerMasterKeySpec: "SYMMETRIC_DEFAULT",
      EncryptionAlgorithms: ["SYMMETRIC_DEFAULT"],
      MultiRegion: false,
    });
    expect(metadata.KeyId).toMatch(/^[0-9a-f-]{36}$/);
    expect(metadata.Arn).toBe(`arn:aws:kms:us-east-1:000000000000:key/${metadata.KeyId}`);
    const described = await call("DescribeKey", { KeyId: metadata.KeyId });
    expect(described.KeyMetadata).toEqual(metadata);
  });

  it("multi-Region keys get mrk- ids", async () => {
    const { KeyMetadata } = await call("CreateKey", { MultiRegion: true });
    expect((KeyMetadata as Record<string, unknown>).KeyId).toMatch(/^mrk-[0-9a-f]{32}$/);
  });

  it("refuses key types it cannot hold", async () => {
    expect(await failure(call("CreateKey", { KeySpec: "RSA_2048", KeyUsage: "SIGN_VERIFY" }))).toMatchObject({
      type: "UnsupportedOperationException",
    });
    expect(await failure(call("CreateKey", { KeySpec: "AES_999" }))).toEqual({
      type: "ValidationException",
      status: 400,
      message: expect.stringMatching(
        /^1 validation error detected: Value 'AES_999' at 'keySpec' failed to satisfy constraint: Member must satisfy enum value set: \[RSA_2048, /,
      ),
    });
  });

  it("Encrypt/Decrypt round-trip, with the key ARN in the blob so Decrypt needs no KeyId", async () => {
    const { KeyMetadata } = await call("CreateKey", {});
    const arn = (KeyMetadata as { Arn: string }).Arn;
    const context = { "userpool-id": "us-east-1_abc", purpose: "test" };
    const sealed = await call("Encrypt", {
      KeyId: arn,
      Plaintext: b64("123456"),
      EncryptionContext: context,
    });
    expect(sealed).toEqual({
      CiphertextBlob: expect.any(String),
      KeyId: arn,
      EncryptionAlgorithm: "SYMMETRIC_DEFAULT",
    });
    // The context is an unordered map: the same pairs in another order decrypt.
    const opened = await call("Decrypt", {
      CiphertextBlob: sealed.CiphertextBlob,
      EncryptionContext: { purpose: "test", "userpool-id": "us-east-1_abc" },
    });
    expect(opened).toEqual({
      KeyId: arn,
      Plaintext: b64("123456"),
      EncryptionAlgorithm: "SYMMETRIC_DEFAULT",
    });
    expect(text(opened.Plaintext)).toBe("123456");
  });

  it("Decrypt checks the encryption context and the KeyId", async () => {
    const { KeyMetadata } = await call("CreateKey", {});
    const arn = (KeyMetadata as { Arn: string }).Arn;
    const { CiphertextBlob } = await call("Encrypt", {
      KeyId: arn,
      Plaintext: b64("secret"),
      EncryptionContext: { a: "1" },
    });
    for (const EncryptionContext of [undefined, {}, { a: "2" }, { a: "1", b: "2" }])
      expect(await failure(call("Decrypt", { CiphertextBlob, EncryptionContext }))).toMatchObject({
        type: "InvalidCiphertextException",
      });
    const other = await call("CreateKey", {});
    expect(
      await failure(
        call("Decrypt", {
          CiphertextBlob,
          EncryptionContext: { a: "1" },
          KeyId: (other.KeyMetadata as { Arn: string }).Arn,
        }),
      ),
    ).toEqual({
      type: "IncorrectKeyException",
      status: 400,
      message: "The key ID in the request does not identify a CMK that can perform this operation.",
    });
    // The right key by bare id works too.
    const id = arn.split("/")[1];
    expect(
      text((await call("Decrypt", { CiphertextBlob, EncryptionContext: { a: "1" }, KeyId: id })).Plaintext),
    ).toBe("secret");
  });

  it("a tampered or foreign blob is InvalidCiphertextException", async () => {
    const { CiphertextBlob } = await call("Encrypt", { KeyId: FOREIGN_ARN, Plaintext: b64("x") });
    const bytes = Buffer.from(String(CiphertextBlob), "base64");
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 1;
    expect(await failure(call("Decrypt", { CiphertextBlob: bytes.toString("base64") }))).toMatchObject({
      type: "InvalidCiphertextException",
    });
    expect(await failure(call("Decrypt", { CiphertextBlob: b64("not a kms blob") }))).toMatchObject({
      type: "InvalidCiphertextException",
    });
  });

  it("a key id or ARN never created is created on first use, in its own account and Region", async () => {
    const { CiphertextBlob, KeyId } = await call("Encrypt", { KeyId: FOREIGN_ARN, Plaintext: b64("hi") });
    expect(KeyId).toBe(FOREIGN_ARN);
    expect(text((await call("Decrypt", { CiphertextBlob })).Plaintext)).toBe("hi");
    const { KeyMetadata } = await call("DescribeKey", { KeyId: FOREIGN_ARN });
    expect(KeyMetadata).toMatchObject({
      Arn: FOREIGN_ARN,
      KeyId: "1234abcd-12ab-34cd-56ef-1234567890ab",
      AWSAccountId: "111122223333",
      Description: AUTO_CREATED_DESCRIPTION,
    });
    const bare = await call("DescribeKey", { KeyId: "0b0b0b0b-1111-2222-3333-444444444444" });
    expect((bare.KeyMetadata as { Arn: string }).Arn).toBe(
      "arn:aws:kms:us-east-1:000000000000:key/0b0b0b0b-1111-2222-3333-444444444444",
    );
  });

  it("the same key keeps its material: a second use decrypts the first's blobs", async () => {
    const arn = "arn:aws:kms:us-east-1:000000000000:key/22222222-2222-2222-2222-222222222222";
    const first = await call("Encrypt", { KeyId: arn, Plaintext: b64("one") });
    await call("Encrypt", { KeyId: arn, Plaintext: b64("two") });
    expect(
      text((await call("Decrypt", { CiphertextBlob: first.CiphertextBlob, KeyId: arn })).Plaintext),
    ).toBe("one");
  });

  it("malformed key ids are NotFoundException as KMS words them", async () => {
    expect(await failure(call("DescribeKey", { KeyId: "not a key" }))).toEqual({
      type: "NotFoundException",
      status: 400,
      message: "Invalid keyId 'not a key'",
    });
    expect(
      await failure(call("DescribeKey", { KeyId: "arn:aws:lambda:us-east-1:000000000000:function:f" })),
    ).toMatchObject({
      type: "NotFoundException",
      message: "Invalid arn arn:aws:lambda:us-east-1:000000000000:function:f",
    });
    expect(await failure(call("DescribeKey", {}))).toEqual({
      type: "ValidationException",
      status: 400,
      message:
        "1 validation error detected: Value null at 'keyId' failed to satisfy constraint: Member must not be null",
    });
  });

  it("GenerateDataKey: NumberOfBytes or KeySpec, plaintext and its sealed copy", async () => {
    const keyId = "arn:aws:kms:us-east-1:000000000000:key/33333333-3333-3333-3333-333333333333";
    const context = { k: "v" };
    const aes256 = await call("GenerateDataKey", {
      KeyId: keyId,
      KeySpec: "AES_256",
      EncryptionContext: context,
    });
    expect(Buffer.from(String(aes256.Plaintext), "base64")).toHaveLength(32);
    expect(aes256.KeyId).toBe(keyId);
    const opened = await call("Decrypt", {
      CiphertextBlob: aes256.CiphertextBlob,
      EncryptionContext: context,
    });
    expect(opened.Plaintext).toBe(aes256.Plaintext);

    const aes128 = await call("GenerateDataKey", { KeyId: keyId, KeySpec: "AES_128" });
    expect(Buffer.from(String(aes128.Plaintext), "base64")).toHaveLength(16);
    const seven = await call("GenerateDataKey", { KeyId: keyId, NumberOfBytes: 7 });
    expect(Buffer.from(String(seven.Plaintext), "base64")).toHaveLength(7);

    for (const input of [{ KeyId: keyId }, { KeyId: keyId, KeySpec: "AES_256", NumberOfBytes: 32 }])
      expect(await failure(call("GenerateDataKey", input))).toEqual({
        type: "ValidationException",
        status: 400,
        message: "Please specify either number of bytes or key spec.",
      });
    expect(await failure(call("GenerateDataKey", { KeyId: keyId, NumberOfBytes: 1025 }))).toMatchObject({
      type: "ValidationException",
      message:
        "1 validation error detected: Value '1025' at 'numberOfBytes' failed to satisfy constraint: Member must have value less than or equal to 1024",
    });

    const without = await call("GenerateDataKeyWithoutPlaintext", { KeyId: keyId, KeySpec: "AES_256" });
    expect(Object.keys(without).sort()).toEqual(["CiphertextBlob", "KeyId"]);
    expect(
      Buffer.from(
        String((await call("Decrypt", { CiphertextBlob: without.CiphertextBlob })).Plaintext),
        "base64",
      ),
    ).toHaveLength(32);
  });

  it("Encrypt limits plaintext to 4096 bytes without echoing it", async () => {
    const big = Buffer.alloc(4097, 1).toString("base64");
    expect(await failure(call("Encrypt", { KeyId: FOREIGN_ARN, Plaintext: big }))).toEqual({
      type: "ValidationException",
      status: 400,
      message:
        "1 validation error detected: Value at 'plaintext' failed to satisfy constraint: Member must have length less than or equal to 4096",
    });
    expect(await failure(call("Encrypt", { KeyId: FOREIGN_ARN, Plaintext: "!!!" }))).toMatchObject({
      type: "SerializationException",
    });
  });

  it("asymmetric algorithms are refused for symmetric keys", async () => {
    expect(
      await failure(
        call("Encrypt", {
          KeyId: FOREIGN_ARN,
          Plaintext: b64("x"),
          EncryptionAlgorithm: "RSAES_OAEP_SHA_256",
        }),
      ),
    ).toMatchObject({ type: "InvalidKeyUsageException" });
  });

  it("aliases: create, resolve, list, and refuse duplicates and reserved names", async () => {
    const { KeyMetadata } = await call("CreateKey", {});
    const key = KeyMetadata as { Arn: string; KeyId: string };
    await expect(
      call("CreateAlias", { AliasName: `alias/codes-${kind}`, TargetKeyId: key.KeyId }),
    ).resolves.toEqual({});
    const described = await call("DescribeKey", { KeyId: `alias/codes-${kind}` });
    expect((described.KeyMetadata as { Arn: string }).Arn).toBe(key.Arn);
    const aliasArn = `arn:aws:kms:us-east-1:000000000000:alias/codes-${kind}`;
    const sealed = await call("Encrypt", { KeyId: aliasArn, Plaintext: b64("via alias") });
    expect(sealed.KeyId).toBe(key.Arn);
    expect(
      text(
        (await call("Decrypt", { CiphertextBlob: sealed.CiphertextBlob, KeyId: `alias/codes-${kind}` }))
          .Plaintext,
      ),
    ).toBe("via alias");

    expect(
      await failure(call("CreateAlias", { AliasName: `alias/codes-${kind}`, TargetKeyId: key.KeyId })),
    ).toEqual({
      type: "AlreadyExistsException",
      status: 400,
      message: `An alias with the name ${aliasArn} already exists`,
    });
    expect(await failure(call("CreateAlias", { AliasName: "codes", TargetKeyId: key.KeyId }))).toMatchObject({
      type: "ValidationException",
    });
    expect(
      await failure(call("CreateAlias", { AliasName: "alias/aws/cognito", TargetKeyId: key.KeyId })),
    ).toMatchObject({ type: "NotAuthorizedException" });
    expect(await failure(call("DescribeKey", { KeyId: "alias/missing" }))).toEqual({
      type: "NotFoundException",
      status: 400,
      message: "Alias arn:aws:kms:us-east-1:000000000000:alias/missing is not found.",
    });

    const listed = await call("ListAliases", { KeyId: key.Arn });
    expect(listed).toEqual({
      Aliases: [
        {
          AliasName: `alias/codes-${kind}`,
          AliasArn: aliasArn,
          TargetKeyId: key.KeyId,
          CreationDate: NOW / 1000,
          LastUpdatedDate: NOW / 1000,
        },
      ],
      Truncated: false,
    });
  });

  it("ListKeys pages through every key with markers", async () => {
    const all = await call("ListKeys", {});
    const keys = all.Keys as { KeyId: string; KeyArn: string }[];
    expect(all.Truncated).toBe(false);
    expect(keys.length).toBeGreaterThanOrEqual(5);
    expect(keys.map((k) => k.KeyArn)).toContain(FOREIGN_ARN);
    for (const k of keys) expect(k.KeyArn.endsWith(`/${k.KeyId}`)).toBe(true);

    const seen: string[] = [];
    let marker: string | undefined;
    do {
      const pageOut = await call("ListKeys", { Limit: 2, ...(marker ? { Marker: marker } : {}) });
      const items = pageOut.Keys as { KeyArn: string }[];
      expect(items.length).toBeLessThanOrEqual(2);
      seen.push(...items.map((k) => k.KeyArn));
      marker = pageOut.NextMarker as string | undefined;
      expect(pageOut.Truncated).toBe(marker !== undefined);
    } while (marker);
    expect(seen).toEqual(keys.map((k) => k.KeyArn));
    expect(await failure(call("ListKeys", { Marker: "garbage" }))).toMatchObject({
      type: "InvalidMarkerException",
    });
  });

  it("ReEncrypt moves a blob to another key and context", async () => {
    const source = "arn:aws:kms:us-east-1:000000000000:key/44444444-4444-4444-4444-444444444444";
    const destination = "arn:aws:kms:us-east-1:000000000000:key/55555555-5555-5555-5555-555555555555";
    const { CiphertextBlob } = await call("Encrypt", {
      KeyId: source,
      Plaintext: b64("moved"),
      EncryptionContext: { from: "a" },
    });
    const moved = await call("ReEncrypt", {
      CiphertextBlob,
      SourceEncryptionContext: { from: "a" },
      DestinationKeyId: destination,
      DestinationEncryptionContext: { to: "b" },
    });
    expect(moved).toMatchObject({ SourceKeyId: source, KeyId: destination });
    const opened = await call("Decrypt", {
      CiphertextBlob: moved.CiphertextBlob,
      EncryptionContext: { to: "b" },
    });
    expect(opened.KeyId).toBe(destination);
    expect(text(opened.Plaintext)).toBe("moved");
  });

  it("DryRun answers DryRunOperationException and writes nothing", async () => {
    const keyId = "arn:aws:kms:us-east-1:000000000000:key/66666666-6666-6666-6666-666666666666";
    expect(await failure(call("Encrypt", { KeyId: keyId, Plaintext: b64("x"), DryRun: true }))).toMatchObject(
      {
        type: "DryRunOperationException",
        status: 412,
      },
    );
    const keys = (await call("ListKeys", {})).Keys as { KeyArn: string }[];
    expect(keys.map((k) => k.KeyArn)).not.toContain(keyId);
  });

  it("GenerateRandom", async () => {
    const { Plaintext } = await call("GenerateRandom", { NumberOfBytes: 24 });
    expect(Buffer.from(String(Plaintext), "base64")).toHaveLength(24);
  });
});

describe("operation dispatch", () => {
  const deps = {} as KmsDeps;
  it("names the operations it serves", () => {
    expect([...KMS_ACTIONS].sort()).toEqual(
      [
        "CreateAlias",
        "CreateKey",
        "Decrypt",
        "DescribeKey",
        "Encrypt",
        "GenerateDataKey",
        "GenerateDataKeyWithoutPlaintext",
        "GenerateRandom",
        "ListAliases",
        "ListKeys",
        "ReEncrypt",
      ].sort(),
    );
  });

  it("other KMS operations are unsupported, anything else unknown", async () => {
    expect(await failure(handleKmsAction("ScheduleKeyDeletion", {}, deps))).toMatchObject({
      type: "UnsupportedOperationException",
    });
    expect(await failure(handleKmsAction("toString", {}, deps))).toMatchObject({
      type: "UnknownOperationException",
      message: "Unknown operation TrentService.toString",
    });
    expect(await failure(handleKmsAction("Encrypt", [], deps))).toMatchObject({
      type: "SerializationException",
    });
  });

  it("unexpected failures are KMSInternalException with the cause kept", async () => {
    const broken: KmsDeps = {
      store: {
        transaction: async () => {
          throw new Error("disk on fire");
        },
        close: async () => {},
      },
      random: cryptoRandom,
      clock: fixedClock(NOW),
      config: CONFIG,
    };
    try {
      await handleKmsAction("DescribeKey", { KeyId: FOREIGN_ARN }, broken);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(CognitoError);
      expect(error).toMatchObject({ type: "KMSInternalException", status: 500 });
      expect((error as { cause?: Error }).cause?.message).toBe("disk on fire");
    }
  });
});
