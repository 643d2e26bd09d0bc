// Tests for the imported-key cache.
import { exportJWK, generateKeyPair } from "jose";
import { describe, expect, it } from "vitest";
import { importKey } from "./crypto-keys.js";

describe("importKey", () => {
  it("imports a JWK once per text and algorithm", async () => {
    const { publicKey } = await generateKeyPair("RS256", { modulusLength: 2048 });
    const text = JSON.stringify(await exportJWK(publicKey));
    const first = importKey(text, "RS256");
    expect(importKey(text, "RS256")).toBe(first);
    expect(importKey(text, "PS256")).not.toBe(first);
    const key = await first;
    expect(key.type).toBe("public");
    expect(key.algorithm.name).toBe("RSASSA-PKCS1-v1_5");
  });

  it("does not keep a failed import", async () => {
    const text = JSON.stringify({ kty: "RSA", n: "AQAB" });
    const failed = importKey(text, "RS256");
    await expect(failed).rejects.toThrow();
    expect(importKey(text, "RS256")).not.toBe(failed);
    await expect(importKey(text, "RS256")).rejects.toThrow();
  });

  it("refuses symmetric keys", async () => {
    await expect(importKey(JSON.stringify({ kty: "oct", k: "c2VjcmV0" }), "HS256")).rejects.toThrow(
      "expected an asymmetric key",
    );
  });
});
