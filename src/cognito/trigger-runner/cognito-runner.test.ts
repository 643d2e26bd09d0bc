// The Cognito runner against scripted invokers: ARN resolution, deadline and retries, and every failure mapping.
import { describe, expect, it } from "vitest";
import {
  type InvokeOptions,
  type InvokeResult,
  type LambdaInvoker,
  LambdaServiceError,
} from "../../lambda/ports.js";
import { customMessageProblem, validateResponse } from "../../triggers/validate-response.js";
import { CognitoError } from "../errors.js";
import { createCognitoRunner } from "./cognito-runner.js";
import { functionArnFor, kmsKeyIdOf, preTokenVersion } from "./lambda-config.js";
import type { TriggerCall } from "./port.js";

const ARN = "arn:aws:lambda:us-east-1:000000000000:function:fn";

type Answer = (payload: string, options: InvokeOptions | undefined) => Promise<InvokeResult>;

function scripted(...answers: Answer[]) {
  const calls: { arn: string; payload: string; options: InvokeOptions | undefined }[] = [];
  const invoker: LambdaInvoker = {
    invoke: (arn, payload, options) => {
      calls.push({ arn, payload, options });
      const answer = answers[Math.min(calls.length, answers.length) - 1];
      if (!answer) throw new Error("no answer scripted");
      return answer(payload, options);
    },
    close: async () => {},
  };
  return { invoker, calls };
}

const ok =
  (body: unknown): Answer =>
  async () => ({ payload: JSON.stringify(body), requestId: "r-1", durationMs: 1 });
const echoWith =
  (response: unknown): Answer =>
  async (payload) => ({
    payload: JSON.stringify({ ...JSON.parse(payload), response }),
    requestId: "r-1",
    durationMs: 1,
  });
const raw =
  (payload: string, extra: Partial<InvokeResult> = {}): Answer =>
  async () => ({
    payload,
    requestId: "0d3c8e0a-0000-4000-8000-000000000000",
    durationMs: 1,
    ...extra,
  });
const timedOut: Answer = raw('{"errorMessage":"Task timed out after 0.20 seconds"}', {
  functionError: "Unhandled",
  timedOut: true,
});

const call = (
  trigger: string,
  lambdaConfig: Record<string, unknown> | undefined,
  version = "1",
): TriggerCall => ({
  trigger,
  event: {
    version,
    triggerSource: `${trigger}_Test`,
    request: {},
    response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
  },
  lambdaConfig,
});

async function failure(work: Promise<unknown>): Promise<{ type: string; message: string }> {
  try {
    await work;
  } catch (error) {
    if (error instanceof CognitoError) return { type: error.type, message: error.message };
    throw error;
  }
  throw new Error("expected a CognitoError");
}

describe("lambda-config", () => {
  it("finds each slot's ARN: strings, sender objects, PreTokenGenerationConfig first", () => {
    expect(functionArnFor("PreSignUp", { PreSignUp: ARN })).toBe(ARN);
    expect(functionArnFor("PreSignUp", {})).toBeUndefined();
    expect(functionArnFor("PreSignUp", undefined)).toBeUndefined();
    expect(
      functionArnFor("CustomSMSSender", { CustomSMSSender: { LambdaVersion: "V1_0", LambdaArn: ARN } }),
    ).toBe(ARN);
    expect(functionArnFor("CustomEmailSender", { CustomEmailSender: ARN })).toBeUndefined();
    expect(functionArnFor("PreTokenGeneration", { PreTokenGeneration: ARN })).toBe(ARN);
    expect(
      functionArnFor("PreTokenGeneration", {
        PreTokenGeneration: `${ARN}-legacy`,
        PreTokenGenerationConfig: { LambdaVersion: "V2_0", LambdaArn: ARN },
      }),
    ).toBe(ARN);
    expect(kmsKeyIdOf({ KMSKeyID: "arn:aws:kms:us-east-1:0:key/k" })).toBe("arn:aws:kms:us-east-1:0:key/k");
  });

  it("the PreTokenGeneration event version", () => {
    expect(preTokenVersion(undefined)).toBe("1");
    expect(preTokenVersion({ PreTokenGeneration: ARN })).toBe("1");
    expect(preTokenVersion({ PreTokenGenerationConfig: { LambdaVersion: "V1_0", LambdaArn: ARN } })).toBe(
      "1",
    );
    expect(preTokenVersion({ PreTokenGenerationConfig: { LambdaVersion: "V2_0", LambdaArn: ARN } })).toBe(
      "2",
    );
    expect(preTokenVersion({ PreTokenGenerationConfig: { LambdaVersion: "V3_0", LambdaArn: ARN } })).toBe(
      "3",
    );
  });
});

describe("createCognitoRunner", () => {
  it("without a configured function: undefined, nothing invoked", async () => {
    const { invoker, calls } = scripted(ok({}));
    const runner = createCognitoRunner({ invoker });
    expect(await runner.invoke(call("PreSignUp", { PostConfirmation: ARN }))).toBeUndefined();
    runner.invokeAsync(call("CustomSMSSender", {}));
    expect(calls).toEqual([]);
  });

  it("sends the whole event synchronously with Cognito's deadline and reads only `response`", async () => {
    const { invoker, calls } = scripted(echoWith({ autoConfirmUser: true }));
    const runner = createCognitoRunner({ invoker });
    const c = call("PreSignUp", { PreSignUp: ARN });
    expect(await runner.invoke(c)).toEqual({
      autoConfirmUser: true,
      autoVerifyEmail: false,
      autoVerifyPhone: false,
    });
    expect(calls).toEqual([
      {
        arn: ARN,
        payload: JSON.stringify(c.event),
        options: { invocationType: "RequestResponse", deadlineMs: 5000 },
      },
    ]);
  });

  it("retries a timeout, up to three attempts in all", async () => {
    const first = scripted(timedOut, echoWith({ autoConfirmUser: true }));
    const runner = createCognitoRunner({ invoker: first.invoker, deadlineMs: 50 });
    expect(await runner.invoke(call("PreSignUp", { PreSignUp: ARN }))).toMatchObject({
      autoConfirmUser: true,
    });
    expect(first.calls).toHaveLength(2);

    const always = scripted(timedOut);
    const failing = createCognitoRunner({ invoker: always.invoker, deadlineMs: 50 });
    expect(await failure(failing.invoke(call("PostAuthentication", { PostAuthentication: ARN })))).toEqual({
      type: "UnexpectedLambdaException",
      message:
        "PostAuthentication invocation failed due to error Socket timeout while invoking Lambda function.",
    });
    expect(always.calls).toHaveLength(3);
  });

  it("gives up on an invoker that never answers", async () => {
    const never = scripted(() => new Promise<InvokeResult>(() => {}));
    const runner = createCognitoRunner({ invoker: never.invoker, deadlineMs: 10, attempts: 2 });
    expect((await failure(runner.invoke(call("PreSignUp", { PreSignUp: ARN })))).type).toBe(
      "UnexpectedLambdaException",
    );
    expect(never.calls).toHaveLength(2);
  });

  it("Lambda service errors name Lambda's code; other invoke failures their name", async () => {
    const denied = scripted(async () => {
      throw new LambdaServiceError("AccessDeniedException", "not allowed", 403);
    });
    expect(
      await failure(
        createCognitoRunner({ invoker: denied.invoker }).invoke(call("PreSignUp", { PreSignUp: ARN })),
      ),
    ).toEqual({
      type: "UnexpectedLambdaException",
      message: "PreSignUp invocation failed due to error AccessDeniedException.",
    });
    const refused = scripted(async () => {
      throw Object.assign(new Error("connect ECONNREFUSED"), { name: "TypeError" });
    });
    expect(
      (
        await failure(
          createCognitoRunner({ invoker: refused.invoker }).invoke(call("PreSignUp", { PreSignUp: ARN })),
        )
      ).message,
    ).toBe("PreSignUp invocation failed due to error TypeError.");
    const thrownSync: LambdaInvoker = {
      invoke: () => {
        throw new LambdaServiceError("TooManyRequestsException", "Rate exceeded", 429);
      },
      close: async () => {},
    };
    expect(
      (
        await failure(
          createCognitoRunner({ invoker: thrownSync }).invoke(call("PreSignUp", { PreSignUp: ARN })),
        )
      ).message,
    ).toBe("PreSignUp invocation failed due to error TooManyRequestsException.");
  });

  it("handler errors: the message with a period, '..' after one, the runtime's description when empty", async () => {
    const run = async (payload: string) => {
      const { invoker } = scripted(raw(payload, { functionError: "Unhandled" }));
      return failure(createCognitoRunner({ invoker }).invoke(call("CustomMessage", { CustomMessage: ARN })));
    };
    expect(await run('{"errorType":"Error","errorMessage":"boom"}')).toEqual({
      type: "UserLambdaValidationException",
      message: "CustomMessage failed with error boom.",
    });
    expect((await run('{"errorType":"Error","errorMessage":"boom."}')).message).toBe(
      "CustomMessage failed with error boom..",
    );
    expect(
      (
        await run(
          '{"errorType":"Runtime.ExitError","errorMessage":"RequestId: x Error: Runtime exited with error: exit status 1"}',
        )
      ).message,
    ).toBe("CustomMessage failed with error RequestId: x Error: Runtime exited with error: exit status 1.");
    expect((await run('{"errorType":"Error","errorMessage":""}')).message).toBe(
      "CustomMessage failed with error RequestId: 0d3c8e0a-0000-4000-8000-000000000000 Error: Error.",
    );
  });

  it("payloads Cognito cannot read", async () => {
    const run = async (payload: string) => {
      const { invoker } = scripted(raw(payload));
      return failure(createCognitoRunner({ invoker }).invoke(call("PreSignUp", { PreSignUp: ARN })));
    };
    expect(await run("<html>not json")).toEqual({
      type: "InvalidLambdaResponseException",
      message: "Invalid lambda function output : Invalid JSON",
    });
    expect(await run("")).toEqual({
      type: "InvalidLambdaResponseException",
      message: "Invalid lambda function output : Invalid JSON",
    });
    for (const payload of [
      "null",
      "42",
      '"event"',
      "[]",
      '{"response":[]}',
      '{"response":{"autoVerifyPhone":1}}',
    ])
      expect(await run(payload)).toEqual({
        type: "InvalidLambdaResponseException",
        message: "Unrecognizable lambda output",
      });
  });

  it("invokeAsync: an Event invocation whose failures are only logged", async () => {
    const warnings: string[] = [];
    const logger = {
      info: () => {},
      debug: () => {},
      error: () => {},
      warn: (message: string) => warnings.push(message),
    };
    const failing = scripted(async () => {
      throw new LambdaServiceError("ResourceNotFoundException", "gone", 404);
    });
    const runner = createCognitoRunner({ invoker: failing.invoker, logger });
    const sender = { CustomEmailSender: { LambdaVersion: "V1_0", LambdaArn: ARN } };
    runner.invokeAsync(call("CustomEmailSender", sender));
    await new Promise((resolve) => setImmediate(resolve));
    expect(failing.calls[0]?.options).toEqual({ invocationType: "Event" });
    expect(warnings).toEqual(["custom sender not invoked"]);
  });

  it("encryptCode goes through the edge's KMS with the pool id as encryption context", async () => {
    const seen: unknown[] = [];
    const runner = createCognitoRunner({
      invoker: scripted(ok({})).invoker,
      edgeUrl: () => "http://127.0.0.1:1",
      region: "eu-west-1",
      encryptCode: async (input) => {
        seen.push(input);
        return "AYADciphertext";
      },
    });
    expect(await runner.encryptCode?.({ keyId: "k", plaintext: "123456", userPoolId: "eu-west-1_abc" })).toBe(
      "AYADciphertext",
    );
    expect(seen).toEqual([
      {
        edgeUrl: "http://127.0.0.1:1",
        region: "eu-west-1",
        keyId: "k",
        plaintext: "123456",
        context: { "userpool-id": "eu-west-1_abc" },
      },
    ]);
    expect(createCognitoRunner({ invoker: scripted(ok({})).invoker }).encryptCode).toBeUndefined();
  });
});

describe("validateResponse", () => {
  const valid = (trigger: string, response: unknown, version = "1") => {
    const check = validateResponse(trigger, version, response);
    if (!check.ok) throw new Error(check.problem.message);
    return check.response;
  };
  const invalid = (trigger: string, response: unknown, version = "1") =>
    validateResponse(trigger, version, response).ok === false;

  it("absent or null responses are the defaults", () => {
    expect(valid("PreSignUp", undefined)).toEqual({
      autoConfirmUser: false,
      autoVerifyEmail: false,
      autoVerifyPhone: false,
    });
    expect(valid("CustomMessage", null)).toEqual({
      smsMessage: null,
      emailMessage: null,
      emailSubject: null,
    });
    expect(valid("PostConfirmation", { anything: 1 })).toEqual({});
    expect(valid("VerifyAuthChallengeResponse", {})).toEqual({ answerCorrect: false });
  });

  it("wrong member types are unrecognizable", () => {
    expect(invalid("PreSignUp", { autoConfirmUser: "true" })).toBe(true);
    expect(invalid("CustomMessage", { smsMessage: 5 })).toBe(true);
    expect(invalid("PostAuthentication", "done")).toBe(true);
    expect(invalid("UserMigration", { finalUserStatus: "ACTIVE" })).toBe(true);
    expect(invalid("UserMigration", { messageAction: "SEND" })).toBe(true);
    expect(invalid("UserMigration", { desiredDeliveryMediums: ["PIGEON"] })).toBe(true);
    expect(invalid("UserMigration", { userAttributes: { address: { street: "x" } } })).toBe(true);
    expect(invalid("UserMigration", { forceAliasCreation: "yes" })).toBe(true);
    expect(invalid("PreTokenGeneration", { claimsOverrideDetails: { claimsToSuppress: "email" } })).toBe(
      true,
    );
    expect(
      invalid("PreTokenGeneration", { claimsOverrideDetails: { claimsToAddOrOverride: { a: { b: 1 } } } }),
    ).toBe(true);
    expect(
      invalid(
        "PreTokenGeneration",
        {
          claimsAndScopeOverrideDetails: {
            idTokenGeneration: { claimsToAddOrOverride: { updated_at: "x" } },
          },
        },
        "2",
      ),
    ).toBe(true);
    expect(
      invalid(
        "PreTokenGeneration",
        { claimsAndScopeOverrideDetails: { accessTokenGeneration: { scopesToAdd: "a b" } } },
        "3",
      ),
    ).toBe(true);
    expect(invalid("CreateAuthChallenge", { publicChallengeParameters: [] })).toBe(true);
  });

  it("UserMigration: attributes as strings, enums kept", () => {
    expect(
      valid("UserMigration", {
        userAttributes: { email: "a@b.c", age: 42, verified: true, gone: null },
        finalUserStatus: "CONFIRMED",
        messageAction: "SUPPRESS",
        desiredDeliveryMediums: ["EMAIL", "SMS"],
        forceAliasCreation: true,
      }),
    ).toEqual({
      userAttributes: { email: "a@b.c", age: "42", verified: "true" },
      finalUserStatus: "CONFIRMED",
      messageAction: "SUPPRESS",
      desiredDeliveryMediums: ["EMAIL", "SMS"],
      forceAliasCreation: true,
      enableSMSMFA: null,
    });
  });

  it("PreTokenGeneration keeps which members were present (a present groupOverrideDetails replaces groups)", () => {
    expect(valid("PreTokenGeneration", { claimsOverrideDetails: { groupOverrideDetails: null } })).toEqual({
      claimsOverrideDetails: { groupOverrideDetails: null },
    });
    expect(
      valid("PreTokenGeneration", { claimsOverrideDetails: { claimsToAddOrOverride: { n: 1 } } }),
    ).toEqual({
      claimsOverrideDetails: { claimsToAddOrOverride: { n: "1" } },
    });
    expect(
      valid(
        "PreTokenGeneration",
        {
          claimsAndScopeOverrideDetails: {
            idTokenGeneration: { claimsToAddOrOverride: { email_verified: false, tags: ["a", 1] } },
            accessTokenGeneration: { scopesToAdd: ["x"] },
          },
        },
        "2",
      ),
    ).toEqual({
      claimsAndScopeOverrideDetails: {
        idTokenGeneration: { claimsToAddOrOverride: { email_verified: false, tags: ["a", 1] } },
        accessTokenGeneration: { scopesToAdd: ["x"] },
      },
    });
  });
});

describe("customMessageProblem", () => {
  const messages = (m: Partial<Record<"smsMessage" | "emailMessage" | "emailSubject", string>>) => ({
    smsMessage: m.smsMessage ?? null,
    emailMessage: m.emailMessage ?? null,
    emailSubject: m.emailSubject ?? null,
  });
  const fill = (text: string) => text.replaceAll("{####}", "123456");

  it("accepts messages with the code placeholder and null members", () => {
    expect(
      customMessageProblem(
        "CustomMessage_SignUp",
        "EMAIL",
        messages({ emailMessage: "<b>Code</b>: {####}\n" }),
        fill,
      ),
    ).toBeUndefined();
    expect(customMessageProblem("CustomMessage_SignUp", "SMS", messages({}), fill)).toBeUndefined();
    // Only the channel the message goes out on is checked.
    expect(
      customMessageProblem("CustomMessage_SignUp", "SMS", messages({ emailMessage: "no code" }), fill),
    ).toBeUndefined();
  });

  it("refuses what Cognito refuses", () => {
    expect(
      customMessageProblem("CustomMessage_SignUp", "EMAIL", messages({ emailMessage: "" }), fill)?.message,
    ).toBe("The message is empty.");
    expect(
      customMessageProblem(
        "CustomMessage_SignUp",
        "EMAIL",
        messages({ emailMessage: "Code\u200b{####}" }),
        fill,
      )?.type,
    ).toBe("InvalidParameterException");
    expect(
      customMessageProblem("CustomMessage_SignUp", "SMS", messages({ smsMessage: "no code" }), fill)?.message,
    ).toBe(
      "1 validation error detected: Value 'no code' at 'smsMessage' failed to satisfy constraint: Member must satisfy regular expression pattern: .*\\{####\\}.*",
    );
    expect(
      customMessageProblem(
        "CustomMessage_AdminCreateUser",
        "SMS",
        messages({ smsMessage: "pw {####}" }),
        fill,
      )?.type,
    ).toBe("InvalidParameterException");
    expect(
      customMessageProblem(
        "CustomMessage_AdminCreateUser",
        "SMS",
        messages({ smsMessage: "{username} pw {####}" }),
        fill,
      ),
    ).toBeUndefined();
    expect(
      customMessageProblem(
        "CustomMessage_SignUp",
        "SMS",
        messages({ smsMessage: `${"x".repeat(140)}{####}` }),
        fill,
      )?.message,
    ).toMatch(/Member must have length less than or equal to 140$/);
    expect(
      customMessageProblem("CustomMessage_SignUp", "EMAIL", messages({ emailSubject: "s".repeat(141) }), fill)
        ?.message,
    ).toMatch(/at 'emailSubject'/);
  });
});
