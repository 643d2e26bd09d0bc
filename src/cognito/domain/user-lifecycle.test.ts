// New usernames under each sign-in configuration, and simulated delivery details.
import { describe, expect, it } from "vitest";
import type { Random } from "../../shared/random.js";
import type { PoolRecord } from "../../store/model.js";
import { attributeMap, newUserName, simulatedDetails } from "./user-lifecycle.js";

const pool = (settings: Record<string, unknown> = {}): PoolRecord => ({
  id: "us-east-1_abc",
  name: "p",
  settings,
  createdAt: 0,
  lastModifiedAt: 0,
});

const random: Random = {
  bytes: (n) => Buffer.alloc(n, 7),
  int: () => 0,
  uuid: () => "7d3c1a0e-1111-4222-8333-444455556666",
};

describe("newUserName", () => {
  it("keeps a plain username and makes a sub", () => {
    expect(newUserName(pool(), "alice", random)).toEqual({
      username: "alice",
      sub: random.uuid(),
      attributes: {},
    });
  });

  it("uses the sub as username when email or phone is the sign-in name", () => {
    const sub = random.uuid();
    expect(newUserName(pool({ UsernameAttributes: ["email"] }), "a@b.co", random)).toEqual({
      username: sub,
      sub,
      attributes: { email: "a@b.co" },
    });
    expect(
      newUserName(pool({ UsernameAttributes: ["email", "phone_number"] }), "+15555550100", random).attributes,
    ).toEqual({
      phone_number: "+15555550100",
    });
    expect(() => newUserName(pool({ UsernameAttributes: ["phone_number"] }), "a@b.co", random)).toThrow(
      "Username should be a phone number.",
    );
  });

  it("refuses usernames shaped like an alias", () => {
    expect(() => newUserName(pool({ AliasAttributes: ["phone_number"] }), "+15555550100", random)).toThrow(
      "Username cannot be of phone number format, since user pool is configured for phone number alias.",
    );
    expect(newUserName(pool({ AliasAttributes: ["preferred_username"] }), "a@b.co", random).username).toBe(
      "a@b.co",
    );
  });
});

describe("simulatedDetails", () => {
  it("masks a typed email or phone number as a real delivery would", () => {
    expect(simulatedDetails(pool(), "jane@example.com", ["phone_number"])).toEqual({
      Destination: "j***@e***",
      DeliveryMedium: "EMAIL",
      AttributeName: "email",
    });
    expect(simulatedDetails(pool(), "+15555550100", ["email"]).Destination).toBe("+*******0100");
  });

  it("invents a stable destination for other names", () => {
    const sms = simulatedDetails(pool(), "jane", ["phone_number", "email"]);
    expect(sms.DeliveryMedium).toBe("SMS");
    expect(sms.Destination).toMatch(/^\+\*{7}\d{4}$/);
    expect(simulatedDetails(pool(), "jane", ["phone_number"])).toEqual(sms);
    expect(simulatedDetails(pool(), "jane", ["email"]).DeliveryMedium).toBe("EMAIL");
  });
});

describe("attributeMap", () => {
  it("is null when absent and a string map otherwise", () => {
    expect(attributeMap(undefined)).toBeNull();
    expect(attributeMap([{ Name: "a", Value: "1" }, { Name: "b" }])).toEqual({ a: "1", b: "" });
  });
});
