// Tests for the pure LambdaConfig edits.
import { describe, expect, it } from "vitest";
import {
  addFunctionTriggers,
  configureFunctionTriggers,
  referencesFunction,
  removeFunctionTriggers,
  validateTriggerConfigs,
} from "./lambda-config.js";

const ME = "arn:aws:lambda:us-east-1:123456789012:function:svc-dev-me";
const OTHER = "arn:aws:lambda:us-east-1:123456789012:function:svc-dev-other";
const KMS = "arn:aws:kms:us-east-1:123456789012:key/1111";

describe("removeFunctionTriggers", () => {
  it("drops string and object triggers invoking the function and keeps the others", () => {
    expect(
      removeFunctionTriggers(
        {
          PreSignUp: OTHER,
          PostConfirmation: ME,
          PreTokenGeneration: ME,
          PreTokenGenerationConfig: { LambdaArn: ME, LambdaVersion: "V2_0" },
          InboundFederation: { LambdaArn: ME, LambdaVersion: "V1_0" },
          UserMigration: OTHER,
        },
        ME,
      ),
    ).toEqual({ PreSignUp: OTHER, UserMigration: OTHER });
  });

  it("drops KMSKeyID with the last custom sender", () => {
    expect(
      removeFunctionTriggers(
        { PreSignUp: OTHER, CustomEmailSender: { LambdaArn: ME, LambdaVersion: "V1_0" }, KMSKeyID: KMS },
        ME,
      ),
    ).toEqual({ PreSignUp: OTHER });
  });

  it("keeps KMSKeyID while another function's custom sender remains", () => {
    expect(
      removeFunctionTriggers(
        {
          CustomEmailSender: { LambdaArn: ME, LambdaVersion: "V1_0" },
          CustomSMSSender: { LambdaArn: OTHER, LambdaVersion: "V1_0" },
          KMSKeyID: KMS,
        },
        ME,
      ),
    ).toEqual({ CustomSMSSender: { LambdaArn: OTHER, LambdaVersion: "V1_0" }, KMSKeyID: KMS });
  });

  it("treats a missing LambdaConfig as empty and does not mutate its input", () => {
    expect(removeFunctionTriggers(undefined, ME)).toEqual({});
    const config = { PreSignUp: ME };
    removeFunctionTriggers(config, ME);
    expect(config).toEqual({ PreSignUp: ME });
  });
});

describe("addFunctionTriggers", () => {
  it("writes plain triggers as the ARN and custom senders as objects with the KMS key", () => {
    expect(
      addFunctionTriggers({ PreSignUp: OTHER }, ME, [
        { Trigger: "PostConfirmation" },
        { Trigger: "CustomEmailSender", LambdaVersion: "V1_0", KMSKeyID: KMS },
        { Trigger: "CustomSMSSender" },
      ]),
    ).toEqual({
      PreSignUp: OTHER,
      PostConfirmation: ME,
      CustomEmailSender: { LambdaArn: ME, LambdaVersion: "V1_0" },
      CustomSMSSender: { LambdaArn: ME, LambdaVersion: "V1_0" },
      KMSKeyID: KMS,
    });
  });

  it("takes over a trigger held by another function", () => {
    expect(addFunctionTriggers({ PreSignUp: OTHER }, ME, [{ Trigger: "PreSignUp" }])).toEqual({
      PreSignUp: ME,
    });
  });

  it("writes PreTokenGeneration V2_0/V3_0 as PreTokenGenerationConfig plus the identical legacy key", () => {
    expect(addFunctionTriggers({}, ME, [{ Trigger: "PreTokenGeneration", LambdaVersion: "V2_0" }])).toEqual({
      PreTokenGeneration: ME,
      PreTokenGenerationConfig: { LambdaArn: ME, LambdaVersion: "V2_0" },
    });
    expect(addFunctionTriggers({}, ME, [{ Trigger: "PreTokenGeneration", LambdaVersion: "V3_0" }])).toEqual({
      PreTokenGeneration: ME,
      PreTokenGenerationConfig: { LambdaArn: ME, LambdaVersion: "V3_0" },
    });
  });

  it("writes PreTokenGeneration V1_0 as the legacy key and drops another function's config object", () => {
    const current = {
      PreTokenGeneration: OTHER,
      PreTokenGenerationConfig: { LambdaArn: OTHER, LambdaVersion: "V2_0" as const },
    };
    expect(addFunctionTriggers(current, ME, [{ Trigger: "PreTokenGeneration" }])).toEqual({
      PreTokenGeneration: ME,
    });
    expect(
      addFunctionTriggers(current, ME, [{ Trigger: "PreTokenGeneration", LambdaVersion: "V1_0" }]),
    ).toEqual({
      PreTokenGeneration: ME,
    });
  });

  it("rejects a trigger Cognito does not have", () => {
    expect(() => addFunctionTriggers({}, ME, [{ Trigger: "postConfirmation" }])).toThrow(
      /Unknown trigger "postConfirmation" in UserPoolConfigs; expected one of PreSignUp, /,
    );
    expect(() => validateTriggerConfigs([{ Trigger: "PreSignUp" }, { Trigger: "KMSKeyID" }])).toThrow(
      'Unknown trigger "KMSKeyID"',
    );
    expect(() => validateTriggerConfigs([{ Trigger: "toString" }])).toThrow('Unknown trigger "toString"');
  });
});

describe("configureFunctionTriggers", () => {
  it("replaces this function's old triggers and keeps the other function's", () => {
    expect(
      configureFunctionTriggers(
        {
          PreSignUp: OTHER,
          PostConfirmation: ME,
          CustomEmailSender: { LambdaArn: ME, LambdaVersion: "V1_0" },
          KMSKeyID: KMS,
        },
        ME,
        [{ Trigger: "PreAuthentication" }],
      ),
    ).toEqual({ PreSignUp: OTHER, PreAuthentication: ME });
  });

  it("referencesFunction sees string and object triggers", () => {
    expect(referencesFunction({ PreSignUp: OTHER }, ME)).toBe(false);
    expect(referencesFunction({ InboundFederation: { LambdaArn: ME, LambdaVersion: "V1_0" } }, ME)).toBe(
      true,
    );
    expect(referencesFunction(undefined, ME)).toBe(false);
  });
});
