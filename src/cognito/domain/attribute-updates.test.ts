// Attribute changes: a changed email/phone loses its verification unless the call re-verifies it.
import { describe, expect, it } from "vitest";
import type { PoolRecord, UserRecord } from "../../store/model.js";
import { applyAttributeUpdate, checkDeletions, withoutAttributes } from "./attribute-updates.js";
import { STANDARD_ATTRIBUTES } from "./schema.js";

const pool = (settings: Record<string, unknown> = {}): PoolRecord => ({
  id: "us-east-1_abc",
  name: "p",
  settings: { SchemaAttributes: STANDARD_ATTRIBUTES, ...settings },
  createdAt: 0,
  lastModifiedAt: 0,
});

const user = (attributes: Record<string, string>): UserRecord => ({
  poolId: "us-east-1_abc",
  username: "u",
  sub: "s",
  attributes,
  status: "CONFIRMED",
  enabled: true,
  password: undefined,
  createdAt: 0,
  lastModifiedAt: 0,
});

describe("applyAttributeUpdate", () => {
  const verified = user({ email: "a@x.io", email_verified: "true", name: "A" });

  it("unverifies a changed email and asks for a code when the pool verifies email", () => {
    const out = applyAttributeUpdate(pool({ AutoVerifiedAttributes: ["email"] }), verified, {
      email: "b@x.io",
    });
    expect(out).toEqual({
      attributes: { email: "b@x.io", email_verified: "false", name: "A" },
      toVerify: ["email"],
      verified: [],
    });
  });

  it("sends nothing when the pool does not verify the attribute", () => {
    const out = applyAttributeUpdate(pool(), verified, { email: "b@x.io" });
    expect(out.toVerify).toEqual([]);
    expect(out.attributes.email_verified).toBe("false");
  });

  it("keeps verification for an unchanged value and honours an explicit flag", () => {
    expect(
      applyAttributeUpdate(pool({ AutoVerifiedAttributes: ["email"] }), verified, { email: "a@x.io" })
        .attributes.email_verified,
    ).toBe("true");
    const out = applyAttributeUpdate(pool({ AutoVerifiedAttributes: ["email"] }), verified, {
      email: "b@x.io",
      email_verified: "true",
    });
    expect(out).toEqual({
      attributes: { email: "b@x.io", email_verified: "true", name: "A" },
      toVerify: [],
      verified: ["email"],
    });
  });

  it("deletes attributes given without a value, and an email with its flag", () => {
    expect(applyAttributeUpdate(pool(), verified, { email: undefined, name: "" }).attributes).toEqual({});
  });

  it("refuses to empty a required attribute", () => {
    const required = pool({
      SchemaAttributes: STANDARD_ATTRIBUTES.map((a) => (a.Name === "name" ? { ...a, Required: true } : a)),
    });
    expect(() => applyAttributeUpdate(required, verified, { name: "" })).toThrow(
      "Attributes did not conform to the schema: name: The attribute name is required",
    );
  });
});

describe("checkDeletions and withoutAttributes", () => {
  it("lists every problem in one message", () => {
    expect(() => checkDeletions(pool(), ["sub", "nope"])).toThrow(
      "Attributes did not conform to the schema: sub: Attribute cannot be updated., nope: Attribute does not exist in the schema.",
    );
    expect(() => checkDeletions(pool(), ["name", "phone_number"])).not.toThrow();
  });

  it("drops a deleted phone number's verification flag", () => {
    expect(
      withoutAttributes(user({ phone_number: "+15555550100", phone_number_verified: "true", name: "A" }), [
        "phone_number",
      ]),
    ).toEqual({
      name: "A",
    });
  });
});
