// Logical ids and names as Serverless v3 derives them.
import { describe, expect, it } from "vitest";
import {
  customCognitoUserPoolLogicalId,
  customResourceFunctionName,
  lambdaLogicalId,
  lambdaPermissionLogicalId,
  normalizeNameToAlphaNumericOnly,
  userPoolLogicalId,
} from "./naming.js";

describe("naming", () => {
  it.each([
    ["my-user-pool", "CognitoUserPoolMyuserpool"],
    ["my_user_pool", "CognitoUserPoolMyuserpool"],
    ["2ndPool99", "CognitoUserPool2ndPool99"],
    ["MIXEDcase_Pool-3", "CognitoUserPoolMIXEDcasePool3"],
    ["lowercasepool", "CognitoUserPoolLowercasepool"],
    ["My Pool+a=b,c.d@e", "CognitoUserPoolMyPoolabcde"],
  ])("pool %s → %s", (pool, id) => {
    expect(userPoolLogicalId(pool)).toBe(id);
  });

  it.each([
    ["pre-sign-up", "PreDashsignDashupLambdaFunction"],
    ["post_confirm_fn", "PostUnderscoreconfirmUnderscorefnLambdaFunction"],
    ["a", "ALambdaFunction"],
  ])("function %s → %s", (fn, id) => {
    expect(lambdaLogicalId(fn)).toBe(id);
  });

  it("builds permission and custom resource ids from the function key, pool and trigger", () => {
    expect(lambdaPermissionLogicalId("pre-sign-up", "my pool", "PreSignUp")).toBe(
      "PreDashsignDashupLambdaPermissionCognitoUserPoolMypoolTriggerSourcePreSignUp",
    );
    expect(customCognitoUserPoolLogicalId("auth_fn")).toBe("AuthUnderscorefnCustomCognitoUserPool1");
  });

  it("only drops non-alphanumerics and upper-cases the first letter", () => {
    expect(normalizeNameToAlphaNumericOnly("éa-b")).toBe("Ab");
  });

  it("keeps handler names up to 64 characters and hashes longer ones", () => {
    expect(customResourceFunctionName("svc", "dev")).toBe("svc-dev-custom-resource-existing-cup");
    const long = customResourceFunctionName("cup-a-really-quite-long-service-name", "production");
    expect(long).toHaveLength(64);
    expect(long.startsWith("cup-a-really-quite-long-service-")).toBe(true);
    expect(long.slice(32)).toMatch(/^[0-9a-f]{32}$/);
  });
});
