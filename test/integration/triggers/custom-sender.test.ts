// CustomEmailSender and CustomSMSSender: asynchronous, the code encrypted under the pool's KMS key, failures ignored.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AdminCreateUserCommand, SignUpCommand } from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { KMS_TARGET_PREFIX } from "../../../src/kms/api.js";
import { closeCodeEncryptionClients, decryptCode } from "../../../src/kms/encrypt-code.js";
import { arnOf, useTriggerServer } from "../../helpers/trigger-server.js";
import { createClient, createPool, PASSWORD, unique } from "../cognito/auth-fixtures.js";
import { outbox } from "../cognito/signup-helpers.js";

const REGION = "us-east-1";
const KEY_ARN = "arn:aws:kms:us-east-1:000000000000:key/5e1f0c2a-7b3d-4e8f-9a6b-1c2d3e4f5a6b";

let kmsUrl: string | undefined;
const outputDir = mkdtempSync(join(tmpdir(), "cognito-triggers-sender-"));
const OUTPUT = join(outputDir, "decrypted.jsonl");
const t = useTriggerServer(
  {
    sender: ["custom-sender.mjs", "handler"],
    throws: ["common.mjs", "throws"],
    message: ["custom-message.mjs", "branded"],
    decrypting: ["../custom-sender.mjs", "handler", { KEY_ID: KEY_ARN, CUSTOM_SENDER_OUTPUT: OUTPUT }],
  },
  { kmsUrl: () => kmsUrl },
);

/** The edge's KMS API, on the server's own port. */
beforeAll(async () => {
  const { url } = t.get();
  const probe = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": `${KMS_TARGET_PREFIX}ListKeys` },
    body: "{}",
  });
  if (!probe.ok) throw new Error(`the edge does not answer KMS: ${probe.status}`);
  kmsUrl = url;
});
afterAll(async () => {
  closeCodeEncryptionClients();
  rmSync(outputDir, { recursive: true, force: true });
});

beforeEach(() => t.clear());

const SDK = expect.stringMatching(/^aws-sdk-js-3\./);
const sender = (name: string) => ({ LambdaVersion: "V1_0", LambdaArn: arnOf(name) }) as const;

async function setup(lambdaConfig: Record<string, unknown>) {
  const { cognito, url } = t.get();
  const poolId = await createPool(cognito, {
    AutoVerifiedAttributes: ["email"],
    LambdaConfig: { KMSKeyID: KEY_ARN, ...lambdaConfig },
  });
  const { clientId } = await createClient(cognito, poolId);
  return { cognito, url, poolId, clientId };
}

/** Custom senders run asynchronously: wait for the handler to have been called. */
const eventOf = async (name: string) =>
  vi.waitFor(() => {
    const [event] = t.events(name);
    if (!event) throw new Error(`${name} not invoked yet`);
    return event;
  });

describe("CustomEmailSender", () => {
  it("gets Cognito's event with the code encrypted under KMSKeyID; CustomMessage is not used for email", async () => {
    const { cognito, url, poolId, clientId } = await setup({
      CustomEmailSender: sender("sender"),
      CustomMessage: arnOf("message"),
    });
    const username = unique("es");
    await cognito.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: username,
        Password: PASSWORD,
        UserAttributes: [{ Name: "email", Value: `${username}@example.com` }],
        ClientMetadata: { locale: "fr" },
      }),
    );
    const event = await eventOf("sender");
    const request = event.request as Record<string, unknown>;
    expect(event).toEqual({
      version: "1",
      triggerSource: "CustomEmailSender_SignUp",
      region: REGION,
      userPoolId: poolId,
      userName: username,
      callerContext: { awsSdkVersion: SDK, clientId },
      request: {
        type: "customEmailSenderRequestV1",
        code: expect.stringMatching(/^AYAD/),
        clientMetadata: { locale: "fr" },
        userAttributes: {
          sub: expect.any(String),
          email: `${username}@example.com`,
          "cognito:user_status": "UNCONFIRMED",
        },
      },
      response: {},
    });
    expect(t.events("message")).toEqual([]);
    // The outbox still shows the developer the message, with the plain code (the pool's template).
    const [message] = await outbox(url, poolId, username);
    expect(message?.body).toBe(`Your verification code is ${message?.code}. `);
    const decrypted = await decryptCode({
      edgeUrl: kmsUrl as string,
      region: REGION,
      keyId: KEY_ARN,
      code: request.code as string,
    });
    expect(decrypted.plaintext).toBe(message?.code);
    expect(decrypted.context["userpool-id"]).toBe(poolId);
  });

  it("a temporary password is HTML-escaped before it is encrypted", async () => {
    const { cognito, poolId } = await setup({ CustomEmailSender: sender("sender") });
    const username = unique("inv");
    await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: username,
        TemporaryPassword: "Tmp<Pass>1&",
        UserAttributes: [{ Name: "email", Value: `${username}@example.com` }],
        DesiredDeliveryMediums: ["EMAIL"],
      }),
    );
    const event = await eventOf("sender");
    expect(event).toMatchObject({
      triggerSource: "CustomEmailSender_AdminCreateUser",
      callerContext: { clientId: "CLIENT_ID_NOT_APPLICABLE" },
    });
    const { plaintext } = await decryptCode({
      edgeUrl: kmsUrl as string,
      region: REGION,
      keyId: KEY_ARN,
      code: (event.request as { code: string }).code,
    });
    expect(plaintext).toBe("Tmp&lt;Pass&gt;1&amp;");
  });

  it("a handler's failure does not fail the call", async () => {
    const { cognito, clientId } = await setup({ CustomEmailSender: sender("throws") });
    const username = unique("ef");
    const out = await cognito.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: username,
        Password: PASSWORD,
        UserAttributes: [{ Name: "email", Value: `${username}@example.com` }],
      }),
    );
    expect(out.CodeDeliveryDetails?.DeliveryMedium).toBe("EMAIL");
    await eventOf("throws");
  });

  it("a handler written as AWS's example decrypts the code with the Encryption SDK against the edge", async () => {
    const { cognito, url, poolId, clientId } = await setup({ CustomEmailSender: sender("decrypting") });
    const username = unique("dx");
    await cognito.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: username,
        Password: PASSWORD,
        UserAttributes: [{ Name: "email", Value: `${username}@example.com` }],
      }),
    );
    const [message] = await outbox(url, poolId, username);
    const line = await vi.waitFor(
      () => {
        const text = readFileSync(OUTPUT, "utf8");
        const found = text
          .split("\n")
          .filter(Boolean)
          .map((l) => JSON.parse(l) as Record<string, unknown>)
          .find((r) => r.userName === username);
        if (!found) throw new Error("not yet");
        return found;
      },
      { timeout: 10_000 },
    );
    expect(line).toMatchObject({
      triggerSource: "CustomEmailSender_SignUp",
      type: "customEmailSenderRequestV1",
      code: message?.code,
      userPoolIdContext: poolId,
    });
  });
});

describe("CustomSMSSender", () => {
  it("takes over SMS only: email still goes through CustomMessage", async () => {
    const { cognito, url, poolId } = await setup({
      CustomSMSSender: sender("sender"),
      CustomMessage: arnOf("message"),
    });
    const username = unique("sms");
    await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: username,
        UserAttributes: [
          { Name: "email", Value: `${username}@example.com` },
          { Name: "phone_number", Value: "+15555550100" },
        ],
        DesiredDeliveryMediums: ["SMS", "EMAIL"],
      }),
    );
    const event = await eventOf("sender");
    expect(event).toMatchObject({
      triggerSource: "CustomSMSSender_AdminCreateUser",
      request: { type: "customSMSSenderRequestV1", userAttributes: { phone_number: "+15555550100" } },
    });
    expect(t.events("message").map((e) => e.triggerSource)).toEqual(["CustomMessage_AdminCreateUser"]);
    const messages = await outbox(url, poolId, username);
    expect(messages.map((m) => m.medium).sort()).toEqual(["EMAIL", "SMS"]);
    expect(messages.find((m) => m.medium === "EMAIL")?.subject).toBe("Acme CustomMessage_AdminCreateUser");
  });
});
