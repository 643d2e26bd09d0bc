// PreSignUp's response flags as SignUp reads them.
import { describe, expect, it } from "vitest";
import { applyAutoVerification, preSignUpOutcome } from "./signup.js";

describe("preSignUpOutcome", () => {
  it("takes only literal true as yes", () => {
    expect(preSignUpOutcome({ autoConfirmUser: "true", autoVerifyEmail: 1 }, {})).toEqual({
      autoConfirm: false,
      verifyEmail: false,
      verifyPhone: false,
    });
    expect(preSignUpOutcome({ autoConfirmUser: true }, {})).toEqual({
      autoConfirm: true,
      verifyEmail: false,
      verifyPhone: false,
    });
  });

  it("needs auto-confirmation and the attribute for auto-verification", () => {
    expect(() => preSignUpOutcome({ autoVerifyPhone: true }, { phone_number: "+15555550100" })).toThrow(
      "Phone or email cannot be auto verified, when user is not being auto confirmed.",
    );
    expect(() => preSignUpOutcome({ autoConfirmUser: true, autoVerifyEmail: true }, {})).toThrow(
      "Email cannot be auto verified, when email attribute is not present.",
    );
    const outcome = preSignUpOutcome({ autoConfirmUser: true, autoVerifyEmail: true }, { email: "a@b.co" });
    expect(applyAutoVerification({ email: "a@b.co" }, outcome)).toEqual({
      email: "a@b.co",
      email_verified: "true",
    });
  });
});
