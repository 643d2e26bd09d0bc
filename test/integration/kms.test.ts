// The edge's KMS through @aws-sdk/client-kms, Cognito-format codes, and a custom-sender handler decrypting them.
import { execFile } from "node:child_process";
import { fileURLToPath, pathToFileURL } from "node:url";
import { buildClient, CommitmentPolicy, KmsKeyringNode } from "@aws-crypto/client-node";
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  KMS,
  KMSClient,
  ListAliasesCommand,
  ListKeysCommand,
} from "@aws-sdk/client-kms";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  closeCodeEncryptionClients,
  cognitoCodeContext,
  decryptCode,
  encryptCode,
} from "../../src/kms/encrypt-code.js";
import { errorOf, useTestServer } from "../helpers/server.js";

const REGION = "us-east-1";
const POOL_ID = "us-east-1_Kms0Test1";
/** A pool's KMSKeyID naming a key that exists in AWS only: the edge creates it on first use. */
const POOL_KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
const CREDENTIALS = { accessKeyId: "AKIDLOCAL", secretAccessKey: "local-secret" };
const HANDLERS = fileURLToPath(new URL("../fixtures/handlers/", import.meta.url));

/** Runs a fixture handler in its own Node process, with the environment a Lambda worker would give it. */
function runHandler(
  file: string,
  event: unknown,
  env: Record<string, string>,
): Promise<{ ok: boolean; stdout: string; stderr: string }> {
  const script = `
    const { handler } = await import(${JSON.stringify(pathToFileURL(`${HANDLERS}${file}`).href)});
    try {
      await handler(JSON.parse(process.env.TEST_EVENT));
      console.log("HANDLER_OK");
    } catch (error) {
      console.log("HANDLER_FAILED " + error.message);
    }`;
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ["--input-type=module", "-e", script],
      {
        cwd: HANDLERS,
        timeout: 30_000,
        env: {
          PATH: process.env.PATH ?? "",
          AWS_REGION: REGION,
          AWS_ACCESS_KEY_ID: "AKIDLAMBDA",
          AWS_SECRET_ACCESS_KEY: "lambda-secret",
          AWS_SESSION_TOKEN: "lambda-session",
          AWS_EC2_METADATA_DISABLED: "true",
          TEST_EVENT: JSON.stringify(event),
          ...env,
        },
      },
      (error, stdout, stderr) => {
        if (error && !stdout.includes("HANDLER_")) reject(new Error(`${error.message}\n${stderr}`));
        else resolve({ ok: stdout.includes("HANDLER_OK"), stdout, stderr });
      },
    );
  });
}

function customSenderEvent(triggerSource: string, code: string | null): Record<string, unknown> {
  const email = triggerSource.startsWith("CustomEmailSender_");
  return {
    version: "1",
    triggerSource,
    region: REGION,
    userPoolId: POOL_ID,
    userName: "6b8f1a2e-0c1d-4e5f-8a9b-0c1d2e3f4a5b",
    callerContext: { awsSdkVersion: "aws-sdk-js-3.1162.0", clientId: "26cb2c60kq7nbmas7rbme9b6pp" },
    request: {
      type: email ? "customEmailSenderRequestV1" : "customSMSSenderRequestV1",
      code,
      clientMetadata: { campaign: "kms" },
      userAttributes: {
        sub: "6b8f1a2e-0c1d-4e5f-8a9b-0c1d2e3f4a5b",
        "cognito:user_status": "UNCONFIRMED",
        email_verified: "false",
        email: "alice@example.com",
        phone_number: "+15555550100",
      },
    },
    response: {},
  };
}

describe("the edge's KMS", () => {
  const edge = useTestServer();
  let kms: KMSClient;

  beforeAll(() => {
    kms = new KMSClient({ endpoint: edge().url, region: REGION, credentials: CREDENTIALS, maxAttempts: 1 });
  });
  afterAll(() => {
    kms.destroy();
    closeCodeEncryptionClients();
  });

  describe("through @aws-sdk/client-kms", () => {
    it("creates, describes, lists and aliases keys", async () => {
      const created = await kms.send(new CreateKeyCommand({ Description: "custom sender codes" }));
      const metadata = created.KeyMetadata;
      expect(metadata).toMatchObject({
        Description: "custom sender codes",
        KeyState: "Enabled",
        KeySpec: "SYMMETRIC_DEFAULT",
        KeyUsage: "ENCRYPT_DECRYPT",
        Enabled: true,
      });
      expect(metadata?.CreationDate).toBeInstanceOf(Date);
      const keyId = metadata?.KeyId ?? "";

      await kms.send(new CreateAliasCommand({ AliasName: "alias/custom-sender", TargetKeyId: keyId }));
      const viaAlias = await kms.send(new DescribeKeyCommand({ KeyId: "alias/custom-sender" }));
      expect(viaAlias.KeyMetadata?.Arn).toBe(metadata?.Arn);

      const aliases = await kms.send(new ListAliasesCommand({ KeyId: keyId }));
      expect(aliases.Aliases?.map((a) => [a.AliasName, a.TargetKeyId])).toEqual([
        ["alias/custom-sender", keyId],
      ]);
      const keys = await kms.send(new ListKeysCommand({}));
      expect(keys.Keys?.map((k) => k.KeyArn)).toContain(metadata?.Arn);
      expect(keys.Truncated).toBe(false);
    });

    it("Encrypt and Decrypt blobs, checking the encryption context", async () => {
      const sealed = await kms.send(
        new EncryptCommand({
          KeyId: POOL_KEY_ARN,
          Plaintext: new TextEncoder().encode("483920"),
          EncryptionContext: { "userpool-id": POOL_ID },
        }),
      );
      expect(sealed.KeyId).toBe(POOL_KEY_ARN);
      expect(sealed.CiphertextBlob).toBeInstanceOf(Uint8Array);
      const opened = await kms.send(
        new DecryptCommand({
          CiphertextBlob: sealed.CiphertextBlob,
          EncryptionContext: { "userpool-id": POOL_ID },
        }),
      );
      expect(opened.KeyId).toBe(POOL_KEY_ARN);
      expect(new TextDecoder().decode(opened.Plaintext)).toBe("483920");

      const wrongContext = await errorOf(
        kms.send(
          new DecryptCommand({
            CiphertextBlob: sealed.CiphertextBlob,
            EncryptionContext: { "userpool-id": "x" },
          }),
        ),
      );
      expect(wrongContext.name).toBe("InvalidCiphertextException");
    });

    it("GenerateDataKey answers a key and its sealed copy", async () => {
      const dataKey = await kms.send(new GenerateDataKeyCommand({ KeyId: POOL_KEY_ARN, KeySpec: "AES_256" }));
      expect(dataKey.Plaintext).toHaveLength(32);
      const opened = await kms.send(
        new DecryptCommand({ CiphertextBlob: dataKey.CiphertextBlob, KeyId: POOL_KEY_ARN }),
      );
      expect(Buffer.from(opened.Plaintext ?? []).equals(Buffer.from(dataKey.Plaintext ?? []))).toBe(true);
    });

    it("answers KMS's exceptions", async () => {
      expect(await errorOf(kms.send(new DescribeKeyCommand({ KeyId: "alias/nobody" })))).toEqual({
        name: "NotFoundException",
        message: "Alias arn:aws:kms:us-east-1:000000000000:alias/nobody is not found.",
      });
      const other = await kms.send(new CreateKeyCommand({}));
      const sealed = await kms.send(
        new EncryptCommand({ KeyId: POOL_KEY_ARN, Plaintext: new Uint8Array([1]) }),
      );
      expect(
        (
          await errorOf(
            kms.send(
              new DecryptCommand({ CiphertextBlob: sealed.CiphertextBlob, KeyId: other.KeyMetadata?.Arn }),
            ),
          )
        ).name,
      ).toBe("IncorrectKeyException");
      expect(
        (await errorOf(kms.send(new DecryptCommand({ CiphertextBlob: new TextEncoder().encode("garbage") }))))
          .name,
      ).toBe("InvalidCiphertextException");
    });
  });

  describe("custom-sender codes", () => {
    it("encryptCode writes Cognito's message format under the pool's key", async () => {
      const code = await encryptCode({
        edgeUrl: edge().url,
        region: REGION,
        keyId: POOL_KEY_ARN,
        plaintext: "123456",
        context: cognitoCodeContext(POOL_ID),
      });
      // Real codes start `AYADe`: message format 1, type 0x80, suite 0x0378.
      expect(code.startsWith("AYADe")).toBe(true);
      const bytes = Buffer.from(code, "base64");
      expect(bytes.subarray(0, 4).toString("hex")).toBe("01800378");
      expect(bytes.includes(Buffer.from(POOL_KEY_ARN))).toBe(true);

      const client = new KMS({
        endpoint: edge().url,
        region: REGION,
        credentials: CREDENTIALS,
        maxAttempts: 1,
      });
      try {
        const keyring = new KmsKeyringNode({ keyIds: [POOL_KEY_ARN], clientProvider: () => client });
        const { decrypt } = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT);
        const { plaintext, messageHeader } = await decrypt(keyring, bytes);
        expect(plaintext.toString("utf8")).toBe("123456");
        expect(messageHeader.encryptionContext).toMatchObject({ "userpool-id": POOL_ID });
        expect(messageHeader.frameLength).toBe(4096);

        // As on AWS, a client that requires committing suites refuses Cognito's codes.
        const strict = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT);
        await expect(strict.decrypt(keyring, bytes)).rejects.toThrow();
      } finally {
        client.destroy();
      }
    });

    it("each code is a new message, and decryptCode reads it back with its context", async () => {
      const options = {
        edgeUrl: edge().url,
        region: REGION,
        keyId: POOL_KEY_ARN,
        plaintext: "Tmp&lt;Pass1&gt;",
      };
      const first = await encryptCode({ ...options, context: cognitoCodeContext(POOL_ID) });
      const second = await encryptCode({ ...options, context: cognitoCodeContext(POOL_ID) });
      expect(first).not.toBe(second);
      const read = await decryptCode({
        edgeUrl: edge().url,
        region: REGION,
        keyId: POOL_KEY_ARN,
        code: second,
      });
      expect(read.plaintext).toBe("Tmp&lt;Pass1&gt;");
      expect(read.context["userpool-id"]).toBe(POOL_ID);
    });

    it("a keyring for another key cannot decrypt the code", async () => {
      const code = await encryptCode({
        edgeUrl: edge().url,
        region: REGION,
        keyId: POOL_KEY_ARN,
        plaintext: "999999",
      });
      const otherKey = "arn:aws:kms:us-east-1:123456789012:key/99999999-9999-9999-9999-999999999999";
      await expect(
        decryptCode({ edgeUrl: edge().url, region: REGION, keyId: otherKey, code }),
      ).rejects.toThrow();
    });

    // The Encryption SDK makes a KMS client per key Region; AWS_ENDPOINT_URL must reach every one of them.
    it.each([
      ["in the edge's Region", POOL_KEY_ARN],
      ["in another Region", "arn:aws:kms:eu-west-1:123456789012:key/7a6b5c4d-3e2f-1a0b-9c8d-7e6f5a4b3c2d"],
    ])(
      "the AWS example handler decrypts a code under a key %s via AWS_ENDPOINT_URL",
      async (_where, keyArn) => {
        const code = await encryptCode({
          edgeUrl: edge().url,
          region: REGION,
          keyId: keyArn,
          plaintext: "246810",
          context: cognitoCodeContext(POOL_ID),
        });
        const run = await runHandler(
          "custom-sender.mjs",
          customSenderEvent("CustomEmailSender_SignUp", code),
          {
            AWS_ENDPOINT_URL: edge().url,
            KEY_ID: keyArn,
            KEY_ALIAS: "alias/cognito-codes",
          },
        );
        expect(run.stderr).not.toMatch(/error/i);
        expect(run.ok).toBe(true);
        const line = run.stdout.split("\n").find((l) => l.startsWith("custom sender "));
        expect(JSON.parse(line?.slice("custom sender ".length) ?? "{}")).toEqual({
          triggerSource: "CustomEmailSender_SignUp",
          userName: "6b8f1a2e-0c1d-4e5f-8a9b-0c1d2e3f4a5b",
          userPoolId: POOL_ID,
          type: "customEmailSenderRequestV1",
          code: "246810",
          userPoolIdContext: POOL_ID,
          email: "alice@example.com",
          phoneNumber: "+15555550100",
          clientMetadata: { campaign: "kms" },
        });
      },
    );

    it("an SMS event without a code needs no KMS", async () => {
      const run = await runHandler(
        "custom-sender.mjs",
        customSenderEvent("CustomSMSSender_ResendCode", null),
        {
          KEY_ID: POOL_KEY_ARN,
        },
      );
      expect(run.ok).toBe(true);
      expect(run.stdout).toContain('"code":null');
    });

    it("a handler that requires committing suites fails on the edge as it does on AWS", async () => {
      const code = await encryptCode({
        edgeUrl: edge().url,
        region: REGION,
        keyId: POOL_KEY_ARN,
        plaintext: "135790",
        context: cognitoCodeContext(POOL_ID),
      });
      const run = await runHandler(
        "custom-sender-strict.mjs",
        customSenderEvent("CustomSMSSender_SignUp", code),
        {
          AWS_ENDPOINT_URL: edge().url,
          KEY_ID: POOL_KEY_ARN,
        },
      );
      expect(run.ok).toBe(false);
      expect(run.stdout).toContain("HANDLER_FAILED");
    });
  });
});
