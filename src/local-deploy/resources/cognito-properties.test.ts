// CloudFormation → Cognito request mapping: coercion, immutable properties, schema changes.
import { describe, expect, it } from "vitest";
import {
  clientReplacementReasons,
  clientRequests,
  coerce,
  poolReplacementReasons,
  poolRequests,
  schemaChange,
} from "./cognito-properties.js";

describe("coerce", () => {
  it("converts strings to booleans and integers, and constraint numbers to strings, by key", () => {
    expect(
      coerce({
        Policies: { PasswordPolicy: { MinimumLength: "12", RequireSymbols: "False" } },
        Schema: [
          { Name: "n", Mutable: "true", StringAttributeConstraints: { MinLength: 1, MaxLength: "9" } },
        ],
        UserPoolName: "true",
      }),
    ).toEqual({
      Policies: { PasswordPolicy: { MinimumLength: 12, RequireSymbols: false } },
      Schema: [{ Name: "n", Mutable: true, StringAttributeConstraints: { MinLength: "1", MaxLength: "9" } }],
      UserPoolName: "true",
    });
  });
});

describe("poolRequests", () => {
  it("maps UserPoolName to PoolName; schema and sign-in names go to CreateUserPool only", () => {
    const { create, update, warnings } = poolRequests({
      UserPoolName: "p",
      UsernameAttributes: ["email"],
      Schema: [{ Name: "email", Required: true }],
      LambdaConfig: { PreSignUp: "arn" },
      DeletionProtection: "ACTIVE",
    });
    expect(create).toEqual({
      PoolName: "p",
      UsernameAttributes: ["email"],
      Schema: [{ Name: "email", Required: true }],
      LambdaConfig: { PreSignUp: "arn" },
      DeletionProtection: "ACTIVE",
    });
    expect(update).toEqual({
      PoolName: "p",
      LambdaConfig: { PreSignUp: "arn" },
      DeletionProtection: "ACTIVE",
    });
    expect(warnings).toEqual([]);
  });

  it("warns about unsupported and unknown properties", () => {
    const { warnings, create } = poolRequests({ EnabledMfas: ["SMS_MFA"], Nope: 1 });
    expect(create).toEqual({});
    expect(warnings).toHaveLength(2);
  });

  it("replacement reasons: AliasAttributes, UsernameAttributes, UsernameConfiguration; [] equals absent", () => {
    expect(poolReplacementReasons({ AliasAttributes: [] }, {})).toEqual([]);
    expect(
      poolReplacementReasons(
        { UsernameAttributes: ["email"], UsernameConfiguration: { CaseSensitive: false } },
        { AliasAttributes: ["email"], UsernameConfiguration: { CaseSensitive: "false" } },
      ),
    ).toEqual(["AliasAttributes", "UsernameAttributes"]);
  });
});

describe("schemaChange", () => {
  const email = { Name: "email", Required: true };
  it("returns appended entries", () => {
    expect(schemaChange([email], [email, { Name: "tier" }])).toEqual({ added: [{ Name: "tier" }] });
    expect(schemaChange(undefined, undefined)).toEqual({ added: [] });
  });
  it("refuses removal and modification", () => {
    expect(schemaChange([email], [])).toHaveProperty("error");
    expect(schemaChange([email], [{ ...email, Required: false }])).toHaveProperty("error");
    expect(schemaChange([{ Name: "x", Mutable: "true" }], [{ Name: "x", Mutable: true }])).toEqual({
      added: [],
    });
  });
});

describe("clientRequests", () => {
  it("defaults the name; GenerateSecret only on create; UserPoolId and GenerateSecret replace", () => {
    const { create, update, userPoolId } = clientRequests(
      { UserPoolId: "p", GenerateSecret: "true", AccessTokenValidity: "1" },
      "Gen-1",
    );
    expect(create).toEqual({
      ClientName: "Gen-1",
      UserPoolId: "p",
      GenerateSecret: true,
      AccessTokenValidity: 1,
    });
    expect(update).toEqual({ ClientName: "Gen-1", AccessTokenValidity: 1 });
    expect(userPoolId).toBe("p");
    expect(clientReplacementReasons({ UserPoolId: "p" }, { UserPoolId: "p", GenerateSecret: false })).toEqual(
      [],
    );
    expect(clientReplacementReasons({ UserPoolId: "p" }, { UserPoolId: "q", GenerateSecret: true })).toEqual([
      "UserPoolId",
      "GenerateSecret",
    ]);
  });
});
