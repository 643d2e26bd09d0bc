// ListUsers filter parsing: the one-condition grammar, escapes, searchable attributes and normalised values.
import { describe, expect, it } from "vitest";
import type { PoolRecord } from "../../store/model.js";
import { parseFilter, storeFilter } from "./list-users-filter.js";

const pool = (settings: Record<string, unknown> = {}): PoolRecord => ({
  id: "us-east-1_abc",
  name: "p",
  settings,
  createdAt: 0,
  lastModifiedAt: 0,
});

describe("parseFilter", () => {
  it("reads = and ^= with or without spaces", () => {
    expect(parseFilter('email = "a@b.c"')).toEqual({ attribute: "email", op: "=", value: "a@b.c" });
    expect(parseFilter('given_name^="Jo"')).toEqual({ attribute: "given_name", op: "^=", value: "Jo" });
    expect(parseFilter('  cognito:user_status =  "CONFIRMED"  ')).toEqual({
      attribute: "cognito:user_status",
      op: "=",
      value: "CONFIRMED",
    });
  });

  it("treats an absent or blank filter as no filter", () => {
    expect(parseFilter(undefined)).toBeUndefined();
    expect(parseFilter("")).toBeUndefined();
    expect(parseFilter("   ")).toBeUndefined();
  });

  it("unescapes backslashes and quotes, and allows an empty value", () => {
    expect(parseFilter('name = "a \\"b\\" \\\\ c"')?.value).toBe('a "b" \\ c');
    expect(parseFilter('name = ""')?.value).toBe("");
  });

  it("refuses attributes that cannot be searched", () => {
    expect(() => parseFilter('custom:x = "1"')).toThrow("Invalid search attribute: custom:x");
    expect(() => parseFilter('email_verified = "true"')).toThrow("Invalid search attribute: email_verified");
  });

  it("refuses anything that is not one quoted condition", () => {
    for (const text of [
      'email = "a" or email = "b"',
      "email = a",
      'email "a"',
      '= "a"',
      'email = "a\\"',
      'email == "a"',
      'email ~ "a"',
    ])
      expect(() => parseFilter(text), text).toThrow("Error while parsing filter");
  });
});

describe("storeFilter", () => {
  it("normalises the value as the index does", () => {
    const filter = (text: string, p = pool()) =>
      storeFilter(p, parseFilter(text) ?? { attribute: "", op: "=", value: "" });
    expect(filter('given_name = "ANN"').value).toBe("ann");
    expect(filter('cognito:user_status = "Confirmed"').value).toBe("confirmed");
    expect(filter('status = "Enabled"').value).toBe("Enabled");
    expect(filter('username = "Bob"').value).toBe("Bob");
    expect(filter('username = "Bob"', pool({ UsernameConfiguration: { CaseSensitive: false } })).value).toBe(
      "bob",
    );
  });
});
