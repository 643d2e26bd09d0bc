// AWS::KMS::Key and Alias through the edge's KMS API: keys that encrypt, aliases that name them.
import { DecryptCommand, DescribeKeyCommand, EncryptCommand, KMSClient } from "@aws-sdk/client-kms";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resourceContext } from "../../../test/helpers/resource-context.js";
import { type RunningServer, startServer } from "../../edge/create-server.js";
import type { ResourceContext } from "../types.js";
import { keyHandler, kmsAliasHandler } from "./kms.js";

let server: RunningServer;
let kms: KMSClient;

beforeAll(async () => {
  server = await startServer({ port: 0, host: "127.0.0.1", memory: true });
  kms = new KMSClient({
    endpoint: server.url,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 1,
  });
});
afterAll(async () => {
  kms.destroy();
  await server.close();
});

function context(logicalId: string, warnings: string[] = []): ResourceContext {
  return resourceContext(server, logicalId, { warnings });
}

describe("AWS::KMS::Key", () => {
  it("creates a key in the local KMS: Ref is the key id, GetAtt Arn and KeyId", async () => {
    const { physicalId, attributes } = await keyHandler.create({ Description: "codes" }, context("CodesKey"));
    expect(physicalId).toMatch(/^[0-9a-f-]{36}$/);
    expect(attributes).toEqual({
      Arn: `arn:aws:kms:us-east-1:000000000000:key/${physicalId}`,
      KeyId: physicalId,
    });
    const described = await kms.send(new DescribeKeyCommand({ KeyId: physicalId }));
    expect(described.KeyMetadata?.Description).toBe("codes");
    const encrypted = await kms.send(new EncryptCommand({ KeyId: physicalId, Plaintext: Buffer.from("hi") }));
    const decrypted = await kms.send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob }));
    expect(Buffer.from(decrypted.Plaintext ?? []).toString()).toBe("hi");
  });

  it("an update keeps the key unless its spec changes; asymmetric keys are a clear failure", async () => {
    const ctx = context("Key2");
    const first = await keyHandler.create({}, ctx);
    const same = await keyHandler.update(first.physicalId, { Enabled: true }, {}, ctx);
    expect(same).toEqual(first);
    const replaced = await keyHandler.update(first.physicalId, { MultiRegion: true }, {}, ctx);
    expect(replaced.physicalId).toMatch(/^mrk-/);
    await expect(keyHandler.create({ KeySpec: "RSA_2048", KeyUsage: "SIGN_VERIFY" }, ctx)).rejects.toThrow(
      /^Key2: .*SYMMETRIC_DEFAULT/,
    );
    const warnings: string[] = [];
    await keyHandler.delete(first.physicalId, {}, context("Key2", warnings));
    expect(warnings).toHaveLength(1);
  });
});

describe("AWS::KMS::Alias", () => {
  it("names the key (Ref = alias name); re-creating an existing alias keeps it", async () => {
    const key = await keyHandler.create({}, context("AliasedKey"));
    const properties = { AliasName: "alias/codes", TargetKeyId: key.physicalId };
    const alias = await kmsAliasHandler.create(properties, context("CodesAlias"));
    expect(alias).toEqual({ physicalId: "alias/codes", attributes: {} });
    const described = await kms.send(new DescribeKeyCommand({ KeyId: "alias/codes" }));
    expect(described.KeyMetadata?.KeyId).toBe(key.physicalId);

    const warnings: string[] = [];
    await kmsAliasHandler.create(properties, context("CodesAlias", warnings));
    expect(warnings.join()).toMatch(/already exists/);
    await expect(
      kmsAliasHandler.create({ AliasName: "codes", TargetKeyId: key.physicalId }, context("BadAlias")),
    ).rejects.toThrow(/BadAlias: .*alias\//);
  });
});
