// Passwords kept as SRP verifiers, the policy check, and temporary password expiry.
import { describe, expect, it } from "vitest";
import { cryptoRandom } from "../../shared/random.js";
import type { PoolRecord, UserRecord } from "../../store/model.js";
import {
  passwordMatches,
  passwordRecord,
  requirePasswordPolicy,
  temporaryPasswordExpired,
} from "./passwords.js";

const DAY = 86_400_000;

const pool = (policy: Record<string, unknown> = {}): PoolRecord => ({
  id: "us-east-1_ABCdef123",
  name: "p",
  settings: { Policies: { PasswordPolicy: policy } },
  createdAt: 0,
  lastModifiedAt: 0,
});

const user = (p: PoolRecord, password: string, temporary: boolean, setAt = 0): UserRecord => ({
  poolId: p.id,
  username: "alice",
  sub: "s",
  attributes: {},
  status: temporary ? "FORCE_CHANGE_PASSWORD" : "CONFIRMED",
  enabled: true,
  password: passwordRecord(cryptoRandom, p, "alice", password, temporary, setAt),
  createdAt: 0,
  lastModifiedAt: 0,
});

describe("passwords", () => {
  it("stores a verifier that accepts only the password", () => {
    const p = pool();
    const u = user(p, "Passw0rd!", false);
    expect(u.password?.salt).toMatch(/^[0-9a-f]{32}$/);
    expect(JSON.stringify(u.password)).not.toContain("Passw0rd!");
    expect(passwordMatches(p, u, "Passw0rd!")).toBe(true);
    expect(passwordMatches(p, u, "Passw0rd?")).toBe(false);
    expect(passwordMatches(p, { ...u, password: undefined }, "Passw0rd!")).toBe(false);
  });

  it("throws InvalidPasswordException for the first rule broken", () => {
    expect(() => requirePasswordPolicy(pool({ MinimumLength: 10 }), "short", "SignUp")).toThrow(
      "Password did not conform with policy: Password not long enough",
    );
    expect(() => requirePasswordPolicy(pool({ MinimumLength: 10 }), "short", "ChangePassword")).toThrow(
      "Password does not conform to policy: Password not long enough",
    );
    expect(() => requirePasswordPolicy(pool({ MinimumLength: 6 }), "simple", "SignUp")).not.toThrow();
  });

  it("expires temporary passwords after TemporaryPasswordValidityDays (7 by default)", () => {
    const p = pool();
    const temporary = user(p, "Passw0rd!", true, 1000);
    expect(temporaryPasswordExpired(p, temporary, 1000 + 7 * DAY - 1)).toBe(false);
    expect(temporaryPasswordExpired(p, temporary, 1000 + 7 * DAY)).toBe(true);
    expect(temporaryPasswordExpired(pool({ TemporaryPasswordValidityDays: 1 }), temporary, 1000 + DAY)).toBe(
      true,
    );
    expect(temporaryPasswordExpired(p, user(p, "Passw0rd!", false), 100 * DAY)).toBe(false);
  });
});
