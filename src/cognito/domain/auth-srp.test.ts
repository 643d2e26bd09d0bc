// Unit tests of SRP's sealed SECRET_BLOCK and the TIMESTAMP parse check.
import { describe, expect, it } from "vitest";
import { cryptoRandom } from "../../shared/random.js";
import { openSecretBlock, type SrpState, sealSecretBlock, timestampParses } from "./auth-srp.js";

const state: SrpState = {
  poolId: "us-east-1_ABCdef123",
  clientId: "client1",
  username: "alice",
  b: "abc",
  B: "def",
  A: "123",
  issuedAt: 1_700_000_000_000,
};

describe("SECRET_BLOCK", () => {
  const key = cryptoRandom.bytes(32);

  it("opens to what was sealed, and differs every time", () => {
    const one = sealSecretBlock(key, cryptoRandom, state);
    const two = sealSecretBlock(key, cryptoRandom, state);
    expect(one).not.toBe(two);
    expect(openSecretBlock(key, one)).toEqual(state);
    expect(Buffer.from(one, "base64").toString("base64")).toBe(one);
  });

  it("does not open under another key, tampered, truncated or as garbage", () => {
    const block = sealSecretBlock(key, cryptoRandom, state);
    expect(openSecretBlock(cryptoRandom.bytes(32), block)).toBeUndefined();
    const bytes = Buffer.from(block, "base64");
    for (const at of [0, 5, 20, bytes.length - 1]) {
      const tampered = Buffer.from(bytes);
      tampered[at] = (tampered[at] as number) ^ 0x40;
      expect(openSecretBlock(key, tampered.toString("base64"))).toBeUndefined();
    }
    expect(openSecretBlock(key, bytes.subarray(0, 20).toString("base64"))).toBeUndefined();
    expect(openSecretBlock(key, "not base64 at all!")).toBeUndefined();
  });
});

describe("timestampParses", () => {
  it("accepts what SimpleDateFormat('EEE MMM d HH:mm:ss z yyyy') parses", () => {
    expect(timestampParses("Tue Jan 2 03:04:05 UTC 2024")).toBe(true);
    expect(timestampParses("Tue Jan 02 03:04:05 UTC 2024")).toBe(true);
    expect(timestampParses("Mon Jan 2 03:04:05 GMT 2024")).toBe(true);
  });

  it("refuses what it cannot parse", () => {
    expect(timestampParses("2024-01-02T03:04:05Z")).toBe(false);
    expect(timestampParses("Tue Foo 2 03:04:05 UTC 2024")).toBe(false);
    expect(timestampParses("Tue Jan 2 03:04 UTC 2024")).toBe(false);
    expect(timestampParses("")).toBe(false);
  });
});
