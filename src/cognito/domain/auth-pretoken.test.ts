// Unit tests of PreTokenGeneration's event and override rules (V1 and V2).
import { describe, expect, it } from "vitest";
import type { PoolRecord } from "../../store/model.js";
import { applyOverrides, overridesFrom, preTokenRequest, preTokenVersion } from "./auth-pretoken.js";

const pool = (LambdaConfig: Record<string, unknown> | undefined): PoolRecord => ({
  id: "us-east-1_X1",
  name: "p",
  settings: LambdaConfig ? { LambdaConfig } : {},
  createdAt: 0,
  lastModifiedAt: 0,
});

const id = { sub: "s", aud: "c", token_use: "id", email: "a@b.co", name: "N", "cognito:groups": ["g"] };
const access = {
  sub: "s",
  token_use: "access",
  scope: "aws.cognito.signin.user.admin",
  client_id: "c",
  "cognito:groups": ["g"],
};

describe("PreTokenGeneration", () => {
  it("picks the event version from PreTokenGenerationConfig", () => {
    expect(preTokenVersion(pool(undefined))).toBe("1");
    expect(preTokenVersion(pool({ PreTokenGeneration: "arn" }))).toBe("1");
    expect(preTokenVersion(pool({ PreTokenGenerationConfig: { LambdaVersion: "V2_0" } }))).toBe("2");
    expect(preTokenVersion(pool({ PreTokenGenerationConfig: { LambdaVersion: "V3_0" } }))).toBe("3");
  });

  it("describes groups ordered by precedence with the preferred role", () => {
    const request = preTokenRequest({
      version: "1",
      userAttributes: { sub: "s" },
      groups: [
        { name: "b", precedence: 2, roleArn: "arn:r2" },
        { name: "a", precedence: 1, roleArn: "arn:r1" },
        { name: "c" },
      ],
      clientMetadata: undefined,
      scopes: ["x"],
    });
    expect(request).toEqual({
      userAttributes: { sub: "s" },
      groupConfiguration: {
        groupsToOverride: ["a", "b", "c"],
        iamRolesToOverride: ["arn:r1", "arn:r2"],
        preferredRole: "arn:r1",
      },
      clientMetadata: null,
    });
  });

  it("leaves the tokens alone for the pre-filled (unchanged) response", () => {
    expect(applyOverrides(id, access, overridesFrom("1", { claimsOverrideDetails: null }))).toEqual({
      id,
      access,
    });
    expect(applyOverrides(id, access, overridesFrom("2", undefined))).toEqual({ id, access });
  });

  it("V1: strings only, ID token only; groups kept unless groupOverrideDetails is given", () => {
    const out = applyOverrides(
      id,
      access,
      overridesFrom("1", {
        claimsOverrideDetails: {
          claimsToAddOrOverride: { tier: "gold", count: 3 },
          claimsToSuppress: ["name"],
        },
      }),
    );
    expect(out.id).toMatchObject({ tier: "gold", "cognito:groups": ["g"] });
    expect(out.id.count).toBeUndefined();
    expect(out.id.name).toBeUndefined();
    expect(out.access).toEqual(access);
  });

  it("an empty or null groupOverrideDetails removes the groups from both tokens", () => {
    for (const groupOverrideDetails of [null, {}]) {
      const out = applyOverrides(
        id,
        access,
        overridesFrom("1", { claimsOverrideDetails: { groupOverrideDetails } }),
      );
      expect(out.id["cognito:groups"]).toBeUndefined();
      expect(out.access["cognito:groups"]).toBeUndefined();
    }
  });

  it("V2: typed claims in both tokens, scopes added and suppressed, protected claims kept", () => {
    const out = applyOverrides(
      id,
      access,
      overridesFrom("2", {
        claimsAndScopeOverrideDetails: {
          idTokenGeneration: { claimsToAddOrOverride: { n: 1, aud: "evil" } },
          accessTokenGeneration: {
            claimsToAddOrOverride: { flags: [true], client_id: "evil", scope: "evil" },
            claimsToSuppress: ["sub"],
            scopesToAdd: ["a/b"],
            scopesToSuppress: ["aws.cognito.signin.user.admin"],
          },
        },
      }),
    );
    expect(out.id).toMatchObject({ n: 1, aud: "c" });
    expect(out.access).toMatchObject({ flags: [true], client_id: "c", sub: "s", scope: "a/b" });
  });
});
