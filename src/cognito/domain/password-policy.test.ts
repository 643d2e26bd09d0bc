// Tests for password policy messages, their order, the symbol set and generated temporary passwords.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Random } from "../../shared/random.js";
import {
  checkPasswordPolicy,
  generateTemporaryPassword,
  PASSWORD_SYMBOLS,
  type PasswordPolicy,
  passwordPolicyMessage,
} from "./password-policy.js";

const FULL: PasswordPolicy = {
  MinimumLength: 8,
  RequireUppercase: true,
  RequireLowercase: true,
  RequireNumbers: true,
  RequireSymbols: true,
};

function seededRandom(seed: string): Random {
  let counter = 0;
  const bytes = (n: number): Buffer => {
    const chunks: Buffer[] = [];
    for (let have = 0; have < n; have += 32)
      chunks.push(createHash("sha256").update(`${seed}/${counter++}`).digest());
    return Buffer.concat(chunks).subarray(0, n);
  };
  return { bytes, int: (max) => bytes(4).readUInt32BE(0) % max, uuid: () => bytes(16).toString("hex") };
}

describe("checkPasswordPolicy", () => {
  it("accepts a conforming password", () => {
    expect(checkPasswordPolicy("Passw0rd!", FULL)).toBeUndefined();
  });

  it.each([
    ["Pa0rd!", "Password not long enough"],
    ["passw0rd!", "Password must have uppercase characters"],
    ["PASSW0RD!", "Password must have lowercase characters"],
    ["Password!", "Password must have numeric characters"],
    ["Passw0rdd", "Password must have symbol characters"],
  ])("names the rule %s breaks as Cognito does", (password, reason) => {
    expect(checkPasswordPolicy(password, FULL)).toBe(`${reason}`);
  });

  it("reports length first, then uppercase, lowercase, numbers, symbols", () => {
    expect(checkPasswordPolicy("a", FULL)).toBe(`Password not long enough`);
    expect(checkPasswordPolicy("12345678", FULL)).toBe(`Password must have uppercase characters`);
    expect(checkPasswordPolicy("ABCDEFGH", FULL)).toBe(`Password must have lowercase characters`);
    expect(checkPasswordPolicy("ABCDefgh", FULL)).toBe(`Password must have numeric characters`);
  });

  it("checks only what the policy requires", () => {
    expect(checkPasswordPolicy("aaaaaa", { MinimumLength: 6 })).toBeUndefined();
    expect(checkPasswordPolicy("aaaaa", { MinimumLength: 6 })).toBe(`Password not long enough`);
    expect(checkPasswordPolicy("AAAAAAAA", { RequireNumbers: true })).toBe(
      `Password must have numeric characters`,
    );
    expect(
      checkPasswordPolicy("AAAAAAAA", { RequireLowercase: false, RequireUppercase: true }),
    ).toBeUndefined();
  });

  it("defaults the minimum length to 8", () => {
    expect(checkPasswordPolicy("1234567", {})).toBe(`Password not long enough`);
    expect(checkPasswordPolicy("12345678", {})).toBeUndefined();
  });

  it("counts every symbol of Cognito's set, space included", () => {
    const symbols = [..."^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- "];
    expect(symbols).toHaveLength(33);
    expect(new Set(PASSWORD_SYMBOLS)).toEqual(new Set(symbols));
    for (const symbol of symbols) {
      expect(checkPasswordPolicy(`Passw0rd${symbol}`, FULL), JSON.stringify(symbol)).toBeUndefined();
    }
  });

  it.each(["€", "£", "§", "¡", "\t", "\u00a0", "😀"])("does not count %j as a symbol", (other) => {
    expect(checkPasswordPolicy(`Passw0rd${other}`, FULL)).toBe(`Password must have symbol characters`);
  });

  it("counts only Basic Latin letters", () => {
    expect(checkPasswordPolicy("ÉCOLE12!", FULL)).toBe(`Password must have lowercase characters`);
    expect(checkPasswordPolicy("école12!", FULL)).toBe(`Password must have uppercase characters`);
    expect(checkPasswordPolicy("Passw٣rd!", FULL)).toBe(`Password must have numeric characters`);
  });
});

describe("passwordPolicyMessage", () => {
  it.each([
    ["SignUp", "Password did not conform with policy: "],
    ["AdminCreateUser", "Password did not conform with password policy: "],
    ["AdminSetUserPassword", "Password does not conform to policy: "],
    ["ChangePassword", "Password does not conform to policy: "],
    ["ConfirmForgotPassword", "Password does not conform to policy: "],
    ["RespondToAuthChallenge", "Password does not conform to policy: "],
    ["AdminRespondToAuthChallenge", "Password does not conform to policy: "],
  ] as const)("words %s's refusal as Cognito does", (action, prefix) => {
    expect(passwordPolicyMessage(action, "Password not long enough")).toBe(
      `${prefix}Password not long enough`,
    );
  });
});

describe("generateTemporaryPassword", () => {
  it("always satisfies the strictest policy", () => {
    for (let i = 0; i < 300; i++) {
      const password = generateTemporaryPassword(seededRandom(`s${i}`), FULL);
      expect(checkPasswordPolicy(password, FULL), password).toBeUndefined();
      expect(password).toMatch(/^\S+$/);
      expect([...password].every((c) => /[A-Za-z0-9]/.test(c) || PASSWORD_SYMBOLS.includes(c))).toBe(true);
    }
  });

  it("is at least 12 characters and meets a longer minimum", () => {
    expect(generateTemporaryPassword(seededRandom("a"), FULL)).toHaveLength(12);
    const long = generateTemporaryPassword(seededRandom("b"), { ...FULL, MinimumLength: 99 });
    expect(long).toHaveLength(99);
    expect(checkPasswordPolicy(long, { ...FULL, MinimumLength: 99 })).toBeUndefined();
  });

  it("draws from the Random port", () => {
    const policy = { MinimumLength: 16 };
    expect(generateTemporaryPassword(seededRandom("x"), policy)).toBe(
      generateTemporaryPassword(seededRandom("x"), policy),
    );
    expect(generateTemporaryPassword(seededRandom("x"), policy)).not.toBe(
      generateTemporaryPassword(seededRandom("y"), policy),
    );
  });

  it("does not always put the required classes first", () => {
    const starts = new Set(
      Array.from({ length: 50 }, (_, i) =>
        /[A-Z]/.test(generateTemporaryPassword(seededRandom(`p${i}`), FULL)[0]!),
      ),
    );
    expect(starts).toEqual(new Set([true, false]));
  });
});
