// Compiler behaviour beyond the golden cases: strictness, fixes over Serverless, error collection, determinism.
import { describe, expect, it } from "vitest";
import { fixedClock } from "../shared/clock.js";
import { compile } from "./compile.js";
import { CompileError } from "./errors.js";
import type { JsonObject } from "./service-model.js";

const KEY = "arn:aws:kms:us-east-1:123456789012:key/1234";

function service(functions: JsonObject, extra: JsonObject = {}): JsonObject {
  return { service: "svc", provider: { name: "aws", runtime: "nodejs20.x" }, functions, ...extra };
}

const fn = (...events: JsonObject[]): JsonObject => ({
  handler: "handler.main",
  events: events.map((e) => ({ cognitoUserPool: e })),
});

function run(config: JsonObject, now = 1_700_000_000_000) {
  return compile(
    { config, stage: "dev", region: "us-east-1" },
    { clock: fixedClock(now), artifactHashes: () => "h" },
  );
}

function problems(config: JsonObject) {
  try {
    run(config);
  } catch (error) {
    if (error instanceof CompileError) return error.problems;
    throw error;
  }
  throw new Error("expected a CompileError");
}

const resources = (config: JsonObject) => run(config).template.Resources as Record<string, JsonObject>;

describe("compile", () => {
  it("emits PreTokenGenerationConfig for V2_0 and V3_0 token customisation", () => {
    const r = resources(
      service({ tokens: fn({ pool: "users", trigger: "PreTokenGeneration", lambdaVersion: "V2_0" }) }),
    );
    expect((r.CognitoUserPoolUsers!.Properties as JsonObject).LambdaConfig).toEqual({
      PreTokenGenerationConfig: {
        LambdaArn: { "Fn::GetAtt": ["TokensLambdaFunction", "Arn"] },
        LambdaVersion: "V2_0",
      },
    });
    expect(r.TokensLambdaPermissionCognitoUserPoolUsersTriggerSourcePreTokenGeneration).toBeDefined();
  });

  it("passes the token version to the custom resource of an existing pool", () => {
    const r = resources(
      service({
        tokens: fn({ pool: "users", trigger: "PreTokenGeneration", lambdaVersion: "V3_0", existing: true }),
      }),
    );
    expect((r.TokensCustomCognitoUserPool1!.Properties as JsonObject).UserPoolConfigs).toEqual([
      { Trigger: "PreTokenGeneration", LambdaVersion: "V3_0" },
    ]);
  });

  it("grants kms:CreateGrant for a custom sender that is not the function's first existing event", () => {
    const r = resources(
      service({
        sender: fn(
          { pool: "users", trigger: "PreSignUp", existing: true },
          { pool: "users", trigger: "CustomEmailSender", existing: true, kmsKeyId: KEY },
          { pool: "users", trigger: "CustomSMSSender", existing: true, kmsKeyId: KEY },
        ),
      }),
    );
    const statements = (
      ((r.IamRoleCustomResourcesLambdaExecution!.Properties as JsonObject).Policies as JsonObject[])[0]!
        .PolicyDocument as JsonObject
    ).Statement as JsonObject[];
    expect(statements.filter((s) => JSON.stringify(s.Action) === '["kms:CreateGrant"]')).toEqual([
      { Effect: "Allow", Resource: KEY, Action: ["kms:CreateGrant"] },
    ]);
  });

  it("takes ForceDeploy from the injected clock", () => {
    const config = service({
      a: fn({ pool: "users", trigger: "PreSignUp", existing: true, forceDeploy: true }),
    });
    const props = (now: number) =>
      (run(config, now).template.Resources.ACustomCognitoUserPool1!.Properties as JsonObject).ForceDeploy;
    expect(props(42)).toBe(42);
    expect(props(43)).toBe(43);
  });

  it("collects problems from every function before failing, each located by path", () => {
    const found = problems(
      service({
        a: fn({ pool: "users", trigger: "PreSignup" }),
        b: fn({ pool: "bad/pool", trigger: "PreSignUp" }),
        c: fn({ pool: "users", trigger: "CustomEmailSender" }),
      }),
    );
    expect(found.map((p) => [p.code, p.path.join(".")])).toEqual([
      ["INVALID_TRIGGER", "functions.a.events.0.cognitoUserPool.trigger"],
      ["INVALID_POOL_NAME", "functions.b.events.0.cognitoUserPool.pool"],
      ["COGNITO_KMS_KEY_NOT_SET", "functions.c.events.0.cognitoUserPool"],
    ]);
  });

  it("keeps Serverless's exact KMS messages", () => {
    const found = problems(
      service({
        a: fn({ pool: "users", trigger: "CustomEmailSender", kmsKeyId: KEY }),
        b: fn({ pool: "users", trigger: "CustomSMSSender", kmsKeyId: `${KEY}-other` }),
        c: fn({ pool: "others", trigger: "CustomSMSSender" }),
      }),
    );
    expect(found.map((p) => p.message)).toEqual([
      'Only one KMS Key for can be configured per Cognito User Pool. Affected Cognito User Pool: "users".',
      'KMS Key must be set when using a Custom Sender Source Trigger (CustomSMSSender and/or CustomEmailSender). Affected Cognito User Pool: "others".',
    ]);
  });

  it("refuses a pool used both as new and as existing", () => {
    const found = problems(
      service({
        a: fn({ pool: "users", trigger: "PreSignUp" }),
        b: fn({ pool: "users", trigger: "PostConfirmation", existing: true }),
      }),
    );
    expect(found.map((p) => p.code)).toEqual(["COGNITO_POOL_BOTH_NEW_AND_EXISTING"]);
  });

  it("refuses two existing-pool functions on the same trigger of one pool", () => {
    const found = problems(
      service({
        a: fn({ pool: "users", trigger: "PreSignUp", existing: true }),
        b: fn({ pool: "users", trigger: "PreSignUp", existing: true }),
      }),
    );
    expect(found.map((p) => p.code)).toEqual(["COGNITO_DUPLICATE_TRIGGER"]);
  });

  it("reports function-level problems: missing handler, too long a name", () => {
    const found = problems(service({ a: { events: [] }, b: { handler: "h.h", name: "x".repeat(65) } }));
    expect(found.map((p) => p.code)).toEqual([
      "FUNCTION_NEITHER_HANDLER_NOR_IMAGE_DEFINED_ERROR",
      "LAMBDA_FUNCTION_NAME_TOO_LONG",
    ]);
  });

  it("warns about event types it does not compile, naming them", () => {
    const result = run(service({ a: { handler: "h.h", events: [{ http: { path: "/", method: "get" } }] } }));
    expect(result.warnings.map((w) => [w.code, w.path.join(".")])).toEqual([
      ["EVENT_TYPE_NOT_SUPPORTED", "functions.a.events.0.http"],
    ]);
    expect(result.warnings[0]?.message).toContain('"http"');
  });

  it("is deterministic for the same input and clock", () => {
    const config = service({
      a: fn(
        { pool: "users", trigger: "PreSignUp" },
        { pool: "users", trigger: "CustomEmailSender", kmsKeyId: KEY },
      ),
      b: fn({ pool: "legacy", trigger: "PostConfirmation", existing: true, forceDeploy: true }),
    });
    expect(JSON.stringify(run(config).template)).toBe(JSON.stringify(run(config).template));
  });

  it("does not modify the configuration it is given", () => {
    const config = service(
      { a: fn({ pool: "users", trigger: "PreSignUp" }) },
      { resources: { Resources: { CognitoUserPoolUsers: { DependsOn: "Table" } } } },
    );
    const before = JSON.stringify(config);
    run(config);
    expect(JSON.stringify(config)).toBe(before);
  });

  it("uses a maintained runtime when the service names none", () => {
    const config: JsonObject = {
      service: "svc",
      provider: { name: "aws" },
      functions: { a: { handler: "h.h" } },
    };
    expect((resources(config).ALambdaFunction!.Properties as JsonObject).Runtime).toBe("nodejs24.x");
  });

  it("rejects a provider other than aws and a missing service", () => {
    const found = problems({ provider: { name: "google" } } as JsonObject);
    expect(found.map((p) => p.path.join(".") || "(root)")).toEqual(["(root)", "provider.name"]);
  });

  it("compiles a service without functions to the core template", () => {
    const { template } = run({ service: "svc", provider: { name: "aws" } } as JsonObject);
    expect(Object.keys(template.Resources)).toEqual([
      "ServerlessDeploymentBucket",
      "ServerlessDeploymentBucketPolicy",
    ]);
  });
});
