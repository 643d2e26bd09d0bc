// The resources merge: lodash semantics, scalar DependsOn coercion, extensions and null stripping.
import { describe, expect, it } from "vitest";
import { ProblemList } from "./errors.js";
import { mergeUserResources, stripNullProperties } from "./resources-merge.js";
import type { JsonObject } from "./service-model.js";
import type { Template } from "./template.js";

function template(): Template {
  return {
    AWSTemplateFormatVersion: "2010-09-09",
    Description: "d",
    Resources: {
      CognitoUserPoolUsers: {
        Type: "AWS::Cognito::UserPool",
        Properties: {
          UserPoolName: "users",
          LambdaConfig: { PreSignUp: { "Fn::GetAtt": ["ALambdaFunction", "Arn"] }, PostConfirmation: "x" },
        },
        DependsOn: ["ALambdaFunction", "BLambdaFunction"],
      },
    },
    Outputs: {},
  };
}

function merged(resources: JsonObject) {
  const t = template();
  const problems = new ProblemList();
  mergeUserResources(t, resources, problems);
  stripNullProperties(t);
  return { t, pool: t.Resources.CognitoUserPoolUsers as JsonObject, problems: problems.items };
}

describe("mergeUserResources", () => {
  it("merges Properties deeply and DependsOn index by index", () => {
    const { pool } = merged({
      Resources: {
        CognitoUserPoolUsers: {
          Properties: { AutoVerifiedAttributes: ["email"], LambdaConfig: { PreSignUp: "arn:aws:lambda:x" } },
          DependsOn: ["Table"],
        },
      },
    });
    expect(pool.DependsOn).toEqual(["Table", "BLambdaFunction"]);
    expect(pool.Properties).toEqual({
      UserPoolName: "users",
      LambdaConfig: { PreSignUp: "arn:aws:lambda:x", PostConfirmation: "x" },
      AutoVerifiedAttributes: ["email"],
    });
  });

  it("turns a scalar DependsOn into a one-element array first", () => {
    const { pool } = merged({ Resources: { CognitoUserPoolUsers: { DependsOn: "Table" } } });
    expect(pool.DependsOn).toEqual(["Table", "BLambdaFunction"]);
  });

  it("strips null properties, removing a trigger or the pool name", () => {
    const { pool } = merged({
      Resources: {
        CognitoUserPoolUsers: {
          Properties: { UserPoolName: null, LambdaConfig: { PostConfirmation: null } },
        },
      },
    });
    expect(pool.Properties).toEqual({
      LambdaConfig: { PreSignUp: { "Fn::GetAtt": ["ALambdaFunction", "Arn"] } },
    });
  });

  it("applies extensions shallowly and appends DependsOn", () => {
    const { pool } = merged({
      extensions: {
        CognitoUserPoolUsers: {
          Properties: { LambdaConfig: { CustomMessage: "arn" } },
          DependsOn: ["Table"],
          DeletionPolicy: "Retain",
        },
      },
    });
    expect((pool.Properties as JsonObject).LambdaConfig).toEqual({ CustomMessage: "arn" });
    expect(pool.DependsOn).toEqual(["ALambdaFunction", "BLambdaFunction", "Table"]);
    expect(pool.DeletionPolicy).toBe("Retain");
  });

  it("reports extensions of resources that do not exist and unsupported attributes", () => {
    const { problems } = merged({
      extensions: { Missing: { Properties: {} }, CognitoUserPoolUsers: { Type: "AWS::S3::Bucket" } },
    });
    expect(problems.map((p) => p.code)).toEqual([
      "RESOURCE_EXTENSION_NOT_EXISTING",
      "RESOURCE_EXTENSION_UNSUPPORTED_ATTRIBUTE",
    ]);
    expect(problems[0]?.message).toBe(
      'Cannot extend "Missing" resource, as it\'s not found in generated stack',
    );
  });

  it("adds Outputs, Conditions and other top-level keys after the compiled ones", () => {
    const { t } = merged({
      Outputs: { PoolId: { Value: { Ref: "CognitoUserPoolUsers" } } },
      Conditions: { IsProd: true },
    });
    expect(Object.keys(t)).toEqual([
      "AWSTemplateFormatVersion",
      "Description",
      "Resources",
      "Outputs",
      "Conditions",
    ]);
    expect(t.Outputs.PoolId).toEqual({ Value: { Ref: "CognitoUserPoolUsers" } });
  });

  it("does not share objects with the configuration", () => {
    const resources: JsonObject = {
      Resources: { Table: { Type: "AWS::DynamoDB::Table", Properties: { A: 1 } } },
    };
    const { t } = merged(resources);
    ((t.Resources.Table as JsonObject).Properties as JsonObject).A = 2;
    expect(((resources.Resources as JsonObject).Table as JsonObject).Properties).toEqual({ A: 1 });
  });
});
