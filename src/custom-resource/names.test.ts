// Tests for ARN parsing and the permission statement id.
import { describe, expect, it } from "vitest";
import { functionArn, parseFunctionArn, permissionStatementId, userPoolArn } from "./names.js";

describe("parseFunctionArn", () => {
  it("reads partition, region and account, qualified or not", () => {
    expect(parseFunctionArn("arn:aws-cn:lambda:cn-north-1:123456789012:function:svc-dev-cup:live")).toEqual({
      partition: "aws-cn",
      region: "cn-north-1",
      accountId: "123456789012",
    });
  });

  it("rejects what is not a Lambda function ARN", () => {
    expect(() => parseFunctionArn("arn:aws:sqs:us-east-1:123456789012:queue")).toThrow(
      /Cannot read partition/,
    );
  });
});

describe("ARNs", () => {
  const env = { partition: "aws-us-gov", region: "us-gov-west-1", accountId: "111122223333" };

  it("builds the unqualified trigger ARN and the pool ARN", () => {
    expect(functionArn(env, "svc-dev-fn")).toBe(
      "arn:aws-us-gov:lambda:us-gov-west-1:111122223333:function:svc-dev-fn",
    );
    expect(userPoolArn(env, "us-gov-west-1_abc")).toBe(
      "arn:aws-us-gov:cognito-idp:us-gov-west-1:111122223333:userpool/us-gov-west-1_abc",
    );
  });
});

describe("permissionStatementId", () => {
  it("lower-cases the pool name and removes '.', ':', '*' and whitespace", () => {
    expect(permissionStatementId("svc-dev-Fn", "My.Pool: *Beta\tTwo Three")).toBe(
      "svc-dev-Fn-mypoolbetatwothree",
    );
  });

  it("cuts the id to 100 characters", () => {
    const id = permissionStatementId("f".repeat(64), "P".repeat(60));
    expect(id).toHaveLength(100);
    expect(id).toBe(`${"f".repeat(64)}-${"p".repeat(35)}`);
    expect(permissionStatementId("fn", "p".repeat(97))).toHaveLength(100);
    expect(permissionStatementId("fn", "p".repeat(96))).toBe(`fn-${"p".repeat(96)}`);
  });
});
