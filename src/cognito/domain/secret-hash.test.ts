// Tests for SECRET_HASH: the §2.0 vector and constant-time verification.
import { describe, expect, it } from "vitest";
import { secretHash, verifySecretHash } from "./secret-hash.js";

const SECRET = "s3cr3t";
const USER = "alice";
const CLIENT = "1example23456789abcdefghij";
const VECTOR = "qdS273J39nHj1G7huxtH6eDNg9wvosWQ+1gpI24LXTI=";

describe("secretHash", () => {
  it("matches the reference vector", () => {
    expect(secretHash(SECRET, USER, CLIENT)).toBe(VECTOR);
  });

  it("keys the HMAC with the secret as UTF-8 over username then client id, no separator", () => {
    expect(secretHash(SECRET, "alicE", CLIENT)).not.toBe(VECTOR);
    expect(secretHash(SECRET, CLIENT, USER)).not.toBe(VECTOR);
    expect(secretHash(SECRET, `${USER}1`, CLIENT.slice(1))).toBe(VECTOR);
    expect(secretHash("s3cr3ü", USER, CLIENT)).not.toBe(secretHash("s3cr3u", USER, CLIENT));
  });
});

describe("verifySecretHash", () => {
  it("accepts the right hash", () => {
    expect(verifySecretHash(SECRET, USER, CLIENT, VECTOR)).toBe(true);
  });

  it("takes the received hash last: first is the secret", () => {
    expect(verifySecretHash(VECTOR, SECRET, USER, CLIENT)).toBe(false);
  });

  it.each([
    ["another username", VECTOR, SECRET, "bob", CLIENT],
    ["another client", VECTOR, SECRET, USER, "2example23456789abcdefghij"],
    ["another secret", VECTOR, "s3cr3T", USER, CLIENT],
    ["no padding", VECTOR.replace(/=$/, ""), SECRET, USER, CLIENT],
    ["base64url", VECTOR.replace(/\+/g, "-"), SECRET, USER, CLIENT],
    ["stray characters", `${VECTOR.slice(0, 10)}!${VECTOR.slice(10)}`, SECRET, USER, CLIENT],
    ["empty", "", SECRET, USER, CLIENT],
    ["hex digest", "a9d4b6ef", SECRET, USER, CLIENT],
  ])("rejects %s", (_name, given, secret, user, client) => {
    expect(verifySecretHash(secret, user, client, given)).toBe(false);
  });

  it("rejects what is not a string", () => {
    expect(verifySecretHash(SECRET, USER, CLIENT, undefined as unknown as string)).toBe(false);
  });
});
