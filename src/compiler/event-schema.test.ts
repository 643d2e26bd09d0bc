// Validation of one cognitoUserPool event: messages, paths and Serverless's coercions.
import { describe, expect, it } from "vitest";
import { ProblemList } from "./errors.js";
import { readCognitoEvent } from "./event-schema.js";
import type { Json } from "./service-model.js";

const PATH = ["functions", "fn", "events", 0, "cognitoUserPool"];

function read(node: Json) {
  const problems = new ProblemList();
  const warnings = new ProblemList();
  const event = readCognitoEvent("fn", node, PATH, problems, warnings);
  return { event, problems: problems.items, warnings: warnings.items };
}

describe("readCognitoEvent", () => {
  it("accepts a minimal event with defaults", () => {
    const { event, problems } = read({ pool: "users", trigger: "PreSignUp" });
    expect(problems).toEqual([]);
    expect(event).toMatchObject({ pool: "users", trigger: "PreSignUp", existing: false, forceDeploy: false });
  });

  it("coerces a numeric pool name and string booleans as Serverless's validator does", () => {
    const { event } = read({ pool: 12345, trigger: "PreSignUp", existing: "true", forceDeploy: "false" });
    expect(event).toMatchObject({ pool: "12345", existing: true, forceDeploy: false });
  });

  it("reports an unknown trigger with the allowed values and a suggestion", () => {
    const { event, problems } = read({ pool: "users", trigger: "PreSignup" });
    expect(event).toBeUndefined();
    expect(problems).toHaveLength(1);
    expect(problems[0]?.code).toBe("INVALID_TRIGGER");
    expect(problems[0]?.path).toEqual([...PATH, "trigger"]);
    expect(problems[0]?.message).toContain("[PreSignUp, PostConfirmation,");
    expect(problems[0]?.message).toContain('did you mean "PreSignUp"');
  });

  it("collects every problem of one event", () => {
    const { problems } = read({ pool: "bad/name", trigger: 3, existing: "yes", extra: 1 });
    expect(problems.map((p) => p.code).sort()).toEqual([
      "INVALID_NON_SCHEMA_COMPLIANT_CONFIGURATION",
      "INVALID_NON_SCHEMA_COMPLIANT_CONFIGURATION",
      "INVALID_POOL_NAME",
      "INVALID_TRIGGER",
    ]);
    expect(problems.map((p) => p.path.at(-1)).sort()).toEqual(["existing", "extra", "pool", "trigger"]);
  });

  it("limits pool names to 128 characters", () => {
    expect(read({ pool: "a".repeat(128), trigger: "PreSignUp" }).problems).toEqual([]);
    expect(read({ pool: "a".repeat(129), trigger: "PreSignUp" }).problems[0]?.message).toBe(
      "must NOT have more than 128 characters",
    );
  });

  it.each([
    ["arn:aws:kms:us-east-1:123456789012:key/abc", true],
    ["arn:aws-us-gov:kms:us-gov-west-1:1:key/abc", true],
    ["alias/my-key", false],
    [{ "Fn::GetAtt": ["Key", "Arn"] }, true],
    [{ "Fn::GetAtt": ["Key"] }, false],
    [{ Ref: "Key" }, true],
    [{ "Fn::ImportValue": "k" }, true],
    [{ "Fn::If": ["c", "a", "b"] }, false],
  ] as [Json, boolean][])("kmsKeyId %j valid=%s", (kmsKeyId, valid) => {
    const { problems } = read({ pool: "users", trigger: "CustomEmailSender", kmsKeyId });
    expect(problems.length === 0).toBe(valid);
  });

  it.each([
    ["CustomEmailSender", "V1_0", true],
    ["CustomSMSSender", "V2_0", false],
    ["PreTokenGeneration", "V2_0", true],
    ["PreTokenGeneration", "V3_0", true],
    ["PreTokenGeneration", "V4_0", false],
    ["PreSignUp", "V1_0", false],
  ])("lambdaVersion of %s %s valid=%s", (trigger, lambdaVersion, valid) => {
    const { problems } = read({ pool: "users", trigger, lambdaVersion, kmsKeyId: "arn:aws:kms:x" });
    expect(problems.filter((p) => p.code === "INVALID_LAMBDA_VERSION").length === 0).toBe(valid);
  });

  it("warns when kmsKeyId or forceDeploy would be ignored", () => {
    const { warnings } = read({
      pool: "users",
      trigger: "PreSignUp",
      kmsKeyId: "arn:aws:kms:x",
      forceDeploy: true,
    });
    expect(warnings.map((w) => w.code)).toEqual(["KMS_KEY_IGNORED", "FORCE_DEPLOY_IGNORED"]);
  });

  it("rejects a non-object event", () => {
    expect(read("users").problems[0]?.message).toBe("must be object");
  });
});
