// Tests for reading resource properties as CloudFormation delivers them.
import { describe, expect, it } from "vitest";
import { parseProperties, tryParseTarget } from "./properties.js";

describe("parseProperties", () => {
  it("accepts CloudFormation's all-string properties and ignores ForceDeploy", () => {
    expect(
      parseProperties({
        ServiceToken: "arn:aws:lambda:us-east-1:1:function:cup",
        FunctionName: "svc-dev-fn",
        UserPoolName: "my-pool",
        UserPoolConfigs: [
          { Trigger: "PreSignUp" },
          { Trigger: "CustomEmailSender", LambdaVersion: "V1_0", KMSKeyID: "arn:aws:kms:us-east-1:1:key/k" },
        ],
        ForceDeploy: "1700000000000",
      }),
    ).toEqual({
      functionName: "svc-dev-fn",
      userPoolName: "my-pool",
      userPoolConfigs: [
        { Trigger: "PreSignUp" },
        { Trigger: "CustomEmailSender", LambdaVersion: "V1_0", KMSKeyID: "arn:aws:kms:us-east-1:1:key/k" },
      ],
    });
  });

  it("accepts a numeric pool name and ForceDeploy as a local deploy may pass them", () => {
    const props = parseProperties({
      FunctionName: "fn",
      UserPoolName: 12345,
      UserPoolConfigs: [],
      ForceDeploy: 1,
    });
    expect(props.userPoolName).toBe("12345");
  });

  it("names the property that is missing or malformed", () => {
    expect(() => parseProperties({ UserPoolName: "p" })).toThrow("Resource property FunctionName");
    expect(() => parseProperties({ FunctionName: "f", UserPoolName: "p", UserPoolConfigs: "x" })).toThrow(
      "UserPoolConfigs must be a list",
    );
    expect(() => parseProperties({ FunctionName: "f", UserPoolName: "p", UserPoolConfigs: [{}] })).toThrow(
      "UserPoolConfigs[0].Trigger",
    );
  });

  it("tryParseTarget gives undefined instead of throwing", () => {
    expect(tryParseTarget(undefined)).toBeUndefined();
    expect(tryParseTarget({ FunctionName: "f", UserPoolName: "p" })).toEqual({
      functionName: "f",
      userPoolName: "p",
    });
  });
});
