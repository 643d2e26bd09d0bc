// Tests for Cognito's SRP: the §6 reference vector, verifiers, the server's side and a full exchange.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Random } from "../../shared/random.js";
import { cryptoRandom } from "../../shared/random.js";
import {
  bigintModPow,
  checkPassword,
  claimSignature,
  clientA,
  clientS,
  clientSignature,
  computeU,
  computeVerifier,
  computeX,
  deriveKey,
  fakeSrpChallenge,
  g,
  hexToBigInt,
  isValidA,
  k,
  modPowBackend,
  modPowN,
  N,
  newClientSecret,
  newPasswordRecordParts,
  padHex,
  poolNameOf,
  serverS,
  startServerSession,
  verifyClaim,
} from "./srp.js";

/** A Random that replays `chunks` for bytes() and then falls back to the real one. */
function scriptedRandom(chunks: Buffer[]): Random {
  return {
    bytes: (n) => {
      const next = chunks.shift();
      if (next === undefined) return cryptoRandom.bytes(n);
      expect(next.length).toBe(n);
      return next;
    },
    int: cryptoRandom.int,
    uuid: cryptoRandom.uuid,
  };
}

const sha256OfHex = (hex: string): string =>
  createHash("sha256").update(Buffer.from(hex, "hex")).digest("hex");

// The reference vector of cognito-semantics.md §6.
const V = {
  poolName: "ABCdef123",
  username: "alice",
  password: "Passw0rd!",
  saltHex: "5a3c9e1f0b7d24e6a8c1f03b9d6e2a47",
  aHex: "1234567890abcdef".repeat(8),
  bHex: "fedcba0987654321".repeat(8),
  secretBlockBytes: Buffer.from("ZXhhbXBsZS1zZWNyZXQtYmxvY2s=", "base64"),
  timestamp: "Tue Jan 2 03:04:05 UTC 2024",
  k: "538282c4354742d7cbbde2359fcf67f9f5b3a6b08791e5011b43b8a5b66d9ee6",
  APrefix: "43d2d516d47d976aed28d722e636337f",
  BPrefix: "a0597ceea6817a47480ff058f70f253f",
  x: "326a8a8a66b26abfcb2b0a17f2e86954121c1d4fa8bea67a4b7988158ca0ca6e",
  u: "65ec875772e5f8c5da590f8f443825673d4264b29e9567eff2e398f941d91e44",
  sha256S: "96724fbaa80628a22410ffa2b3c6747adc57ec81a45c1bcdb1ba9e33d075f18f",
  K: "892c8197253de316532fef2c70dfb324",
  signature: "g1Lg225R6oDhLa8JgmAh3TZAanLMqAhTV3cVs+6v4Lc=",
};

/** The vector's B, made the way startServerSession makes it. */
function vectorB(): { verifierHex: string; BHex: string } {
  const verifierHex = computeVerifier(V);
  const B = (k * hexToBigInt(verifierHex) + modPowN(g, hexToBigInt(V.bHex))) % N;
  return { verifierHex, BHex: B.toString(16) };
}

describe("group constants and padHex", () => {
  it("uses the 3072-bit RFC 5054 prime, g = 2 and Cognito's k", () => {
    expect(N.toString(2)).toHaveLength(3072);
    expect(N.toString(16).slice(0, 16)).toBe("ffffffffffffffff");
    expect(N.toString(16).endsWith("a93ad2caffffffffffffffff")).toBe(true);
    expect(g).toBe(2n);
    expect(k.toString(16)).toBe(V.k);
  });

  it("encodes like Java's BigInteger.toByteArray", () => {
    expect(padHex(0n)).toBe("00");
    expect(padHex(2n)).toBe("02");
    expect(padHex(0x7fn)).toBe("7f");
    expect(padHex(0x80n)).toBe("0080");
    expect(padHex(0xabcn)).toBe("0abc");
    expect(padHex(0x1234n)).toBe("1234");
    expect(padHex(N)).toHaveLength(770);
    expect(padHex(N).slice(0, 4)).toBe("00ff");
    expect(() => padHex(-1n)).toThrow(RangeError);
  });

  it("parses only hex", () => {
    expect(hexToBigInt("ff")).toBe(255n);
    expect(() => hexToBigInt("0xff")).toThrow(RangeError);
    expect(() => hexToBigInt("")).toThrow(RangeError);
    expect(() => hexToBigInt("12 3")).toThrow(RangeError);
  });

  it("takes the pool name after the underscore", () => {
    expect(poolNameOf("us-east-1_ABCdef123")).toBe("ABCdef123");
    expect(poolNameOf("eu-west-2_x")).toBe("x");
  });
});

describe("modPowN", () => {
  it("agrees with plain square-and-multiply on random inputs", () => {
    for (let i = 0; i < 8; i++) {
      const base = BigInt(`0x${cryptoRandom.bytes(384).toString("hex")}`) % N;
      const exponent = BigInt(`0x${cryptoRandom.bytes(32 + i * 16).toString("hex")}`);
      expect(modPowN(base, exponent)).toBe(bigintModPow(base, exponent));
    }
  });

  it("runs on OpenSSL's exponentiation on this Node (the sign-in benchmark depends on it)", () => {
    expect(modPowBackend()).toBe("openssl");
  });

  it("handles zero, one, negative bases and exponents of N - 1 and beyond", () => {
    expect(modPowN(5n, 0n)).toBe(1n);
    expect(modPowN(0n, 7n)).toBe(0n);
    expect(modPowN(N, 7n)).toBe(0n);
    expect(modPowN(N + 1n, 12345n)).toBe(1n);
    expect(modPowN(-1n, 3n)).toBe(N - 1n);
    expect(modPowN(3n, N - 1n)).toBe(1n);
    expect(modPowN(3n, N + 4n)).toBe(bigintModPow(3n, 5n));
    expect(modPowN(g, 10n)).toBe(1024n);
    expect(() => modPowN(g, -1n)).toThrow(RangeError);
  });
});

describe("the §6 reference vector", () => {
  it("gives x, A and B", () => {
    expect(computeX(V).toString(16)).toBe(V.x);
    const A = clientA(V.aHex);
    expect(A).toHaveLength(768);
    expect(A.startsWith(V.APrefix)).toBe(true);
    expect(vectorB().BHex.startsWith(V.BPrefix)).toBe(true);
  });

  it("gives u, the same S on both sides, K and the signature", () => {
    const { verifierHex, BHex } = vectorB();
    const A = hexToBigInt(clientA(V.aHex));
    const B = hexToBigInt(BHex);
    const u = computeU(A, B);
    expect(u.toString(16)).toBe(V.u);
    const S = serverS(A, hexToBigInt(verifierHex), u, hexToBigInt(V.bHex));
    expect(sha256OfHex(padHex(S))).toBe(V.sha256S);
    expect(clientS(B, computeX(V), hexToBigInt(V.aHex), u)).toBe(S);
    const K = deriveKey(S, u);
    expect(K.toString("hex")).toBe(V.K);
    const signature = claimSignature({ ...V, key: K, userIdForSrp: V.username });
    expect(signature.toString("base64")).toBe(V.signature);
  });

  it("is what the client helper signs and what verifyClaim accepts", () => {
    const { verifierHex, BHex } = vectorB();
    const AHex = clientA(V.aHex);
    expect(clientSignature({ ...V, userIdForSrp: V.username, BHex })).toBe(V.signature);
    const claim = {
      ...V,
      userIdForSrp: V.username,
      verifierHex,
      AHex,
      BHex,
      signatureBase64: V.signature,
    };
    expect(verifyClaim(claim)).toBe(true);
    expect(verifyClaim({ ...claim, timestamp: "Tue Jan 2 03:04:06 UTC 2024" })).toBe(false);
    expect(verifyClaim({ ...claim, userIdForSrp: "Alice" })).toBe(false);
    expect(verifyClaim({ ...claim, poolName: "ABCdef124" })).toBe(false);
    expect(verifyClaim({ ...claim, secretBlockBytes: Buffer.from("other") })).toBe(false);
  });
});

describe("password verifiers", () => {
  it("makes a 16-byte salt from the Random and the verifier g^x", () => {
    const salt = Buffer.from("00112233445566778899aabbccddeeff", "hex");
    const parts = newPasswordRecordParts(scriptedRandom([salt]), "Pool1", "bob", "S3cret!!");
    expect(parts.salt).toBe("00112233445566778899aabbccddeeff");
    expect(parts.verifier).toBe(
      computeVerifier({ poolName: "Pool1", username: "bob", password: "S3cret!!", saltHex: parts.salt }),
    );
    expect(hexToBigInt(parts.verifier)).toBe(
      modPowN(g, computeX({ poolName: "Pool1", username: "bob", password: "S3cret!!", saltHex: parts.salt })),
    );
  });

  it("reads the salt as an integer, as clients do (leading zero bytes do not count)", () => {
    const base = { poolName: "P", username: "u", password: "pw" };
    expect(computeX({ ...base, saltHex: "00ab" })).toBe(computeX({ ...base, saltHex: "ab" }));
    expect(computeX({ ...base, saltHex: "ab" })).not.toBe(computeX({ ...base, saltHex: "ac" }));
  });

  it("checks a password against salt and verifier", () => {
    const parts = newPasswordRecordParts(cryptoRandom, "Pool1", "bob", "S3cret!!");
    const record = { poolName: "Pool1", username: "bob", ...parts };
    expect(checkPassword({ ...record, password: "S3cret!!" })).toBe(true);
    expect(checkPassword({ ...record, password: "S3cret!?" })).toBe(false);
    expect(checkPassword({ ...record, password: "s3cret!!" })).toBe(false);
    expect(checkPassword({ ...record, username: "Bob", password: "S3cret!!" })).toBe(false);
    expect(checkPassword({ ...record, poolName: "Pool2", password: "S3cret!!" })).toBe(false);
    // The verifier is a number: case and leading zeros of its hex do not matter.
    expect(
      checkPassword({ ...record, verifier: `0000${parts.verifier.toUpperCase()}`, password: "S3cret!!" }),
    ).toBe(true);
    expect(checkPassword({ ...record, verifier: "zz", password: "S3cret!!" })).toBe(false);
    expect(checkPassword({ ...record, salt: "", password: "S3cret!!" })).toBe(false);
  });

  it("hashes the password as UTF-8", () => {
    const parts = newPasswordRecordParts(cryptoRandom, "P", "zoë", "pässwörd ☃");
    expect(checkPassword({ poolName: "P", username: "zoë", password: "pässwörd ☃", ...parts })).toBe(true);
    expect(checkPassword({ poolName: "P", username: "zoë", password: "passwörd ☃", ...parts })).toBe(false);
  });
});

describe("server session", () => {
  it("draws b as 32 random bytes and returns B = k·v + g^b", () => {
    const b = Buffer.alloc(32, 0x5a);
    const { verifierHex } = vectorB();
    const session = startServerSession(scriptedRandom([b]), { verifierHex });
    expect(session.bHex).toBe(b.toString("hex"));
    const expected = (k * hexToBigInt(verifierHex) + modPowN(g, hexToBigInt(session.bHex))) % N;
    expect(session.BHex).toBe(expected.toString(16));
  });

  it("draws again when b is zero", () => {
    const random = scriptedRandom([Buffer.alloc(32), Buffer.alloc(32, 1)]);
    const session = startServerSession(random, { verifierHex: "1234" });
    expect(session.bHex).toBe("01".repeat(32).replace(/^0/, ""));
  });

  it("draws again when B would be zero", () => {
    // A verifier made so that k·v + g^b ≡ 0 for b = 0x0202…02: v = −g^b · k⁻¹ mod N.
    const first = Buffer.alloc(32, 2);
    const b = hexToBigInt(first.toString("hex"));
    const v = (((N - modPowN(g, b)) % N) * modPowN(k, N - 2n)) % N;
    const second = Buffer.alloc(32, 3);
    const session = startServerSession(scriptedRandom([first, second]), { verifierHex: padHex(v) });
    expect(hexToBigInt(session.bHex)).toBe(hexToBigInt(second.toString("hex")));
    expect(hexToBigInt(session.BHex)).not.toBe(0n);
  });

  it("validates SRP_A", () => {
    expect(isValidA(clientA(V.aHex))).toBe(true);
    expect(isValidA("abc")).toBe(true);
    expect(isValidA("0")).toBe(false);
    expect(isValidA("000")).toBe(false);
    expect(isValidA(N.toString(16))).toBe(false);
    expect(isValidA((N * 2n).toString(16))).toBe(false);
    expect(isValidA("")).toBe(false);
    expect(isValidA("xyz")).toBe(false);
    expect(isValidA("0x12")).toBe(false);
    expect(isValidA("1".repeat(4096))).toBe(false);
    expect(isValidA(undefined as unknown as string)).toBe(false);
  });
});

describe("a full exchange", () => {
  const poolName = "Xy12AbCd9";
  const user = "7d6c2a40-0b6e-4b55-9a6e-0f2a0a7c3e11";
  const password = "Correct horse 1!";
  const secretBlockBytes = cryptoRandom.bytes(64);
  const timestamp = "Wed Jan 15 12:00:00 UTC 2026";

  function exchange(clientPassword: string) {
    const { salt, verifier } = newPasswordRecordParts(cryptoRandom, poolName, user, password);
    const aHex = newClientSecret(cryptoRandom);
    const AHex = clientA(aHex);
    const { bHex, BHex } = startServerSession(cryptoRandom, { verifierHex: verifier });
    const signatureBase64 = clientSignature({
      poolName,
      userIdForSrp: user,
      password: clientPassword,
      saltHex: salt,
      aHex,
      BHex,
      secretBlockBytes,
      timestamp,
    });
    return {
      poolName,
      userIdForSrp: user,
      saltHex: salt,
      verifierHex: verifier,
      AHex,
      bHex,
      BHex,
      secretBlockBytes,
      timestamp,
      signatureBase64,
    };
  }

  it("accepts the right password", () => {
    expect(verifyClaim(exchange(password))).toBe(true);
  });

  it("rejects a wrong password", () => {
    expect(verifyClaim(exchange("Correct horse 2!"))).toBe(false);
  });

  it("rejects a claim replayed against another session's b", () => {
    const claim = exchange(password);
    const other = startServerSession(cryptoRandom, { verifierHex: claim.verifierHex });
    expect(verifyClaim({ ...claim, ...other })).toBe(false);
  });

  it("rejects malformed signatures and numbers instead of throwing", () => {
    const claim = exchange(password);
    expect(verifyClaim({ ...claim, signatureBase64: "" })).toBe(false);
    expect(verifyClaim({ ...claim, signatureBase64: "not base64 at all" })).toBe(false);
    expect(verifyClaim({ ...claim, signatureBase64: Buffer.alloc(31).toString("base64") })).toBe(false);
    expect(verifyClaim({ ...claim, signatureBase64: Buffer.alloc(32).toString("base64") })).toBe(false);
    expect(verifyClaim({ ...claim, AHex: "0" })).toBe(false);
    expect(verifyClaim({ ...claim, AHex: N.toString(16) })).toBe(false);
    expect(verifyClaim({ ...claim, bHex: "xyz" })).toBe(false);
    expect(verifyClaim({ ...claim, BHex: "" })).toBe(false);
    expect(verifyClaim({ ...claim, verifierHex: "-1" })).toBe(false);
  });

  it("makes client secrets of up to 1024 bits that are not zero", () => {
    const aHex = newClientSecret(scriptedRandom([Buffer.alloc(128), Buffer.alloc(128, 0xff)]));
    expect(hexToBigInt(aHex)).toBe(hexToBigInt("ff".repeat(128)) % N);
  });
});

describe("fakeSrpChallenge", () => {
  const secret = Buffer.from("server-fake-secret");

  it("is stable per pool and username", () => {
    expect(fakeSrpChallenge(secret, "us-east-1_A", "ghost")).toEqual(
      fakeSrpChallenge(secret, "us-east-1_A", "ghost"),
    );
  });

  it("differs between usernames, pools and secrets", () => {
    const one = fakeSrpChallenge(secret, "us-east-1_A", "ghost");
    const others = [
      fakeSrpChallenge(secret, "us-east-1_A", "ghost2"),
      fakeSrpChallenge(secret, "us-east-1_B", "ghost"),
      fakeSrpChallenge(Buffer.from("another"), "us-east-1_A", "ghost"),
    ];
    for (const other of others) {
      expect(other.salt).not.toBe(one.salt);
      expect(other.userIdForSrp).not.toBe(one.userIdForSrp);
      expect(other.verifier).not.toBe(one.verifier);
    }
  });

  it("looks like a real user's challenge", () => {
    const fake = fakeSrpChallenge(secret, "us-east-1_A", "ghost");
    expect(fake.salt).toMatch(/^[0-9a-f]{32}$/);
    expect(fake.userIdForSrp).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    const v = hexToBigInt(fake.verifier);
    expect(v > 0n && v < N).toBe(true);
    const session = startServerSession(cryptoRandom, { verifierHex: fake.verifier });
    expect(hexToBigInt(session.BHex) % N).not.toBe(0n);
  });

  it("never verifies a claim", () => {
    const fake = fakeSrpChallenge(secret, "us-east-1_A", "ghost");
    const { bHex, BHex } = startServerSession(cryptoRandom, { verifierHex: fake.verifier });
    const aHex = newClientSecret(cryptoRandom);
    const input = {
      poolName: "A",
      userIdForSrp: fake.userIdForSrp,
      saltHex: fake.salt,
      aHex,
      BHex,
      secretBlockBytes: Buffer.from("blk"),
      timestamp: "Wed Jan 15 12:00:00 UTC 2026",
    };
    for (const password of ["", "password", "Passw0rd!"]) {
      const signatureBase64 = clientSignature({ ...input, password });
      expect(
        verifyClaim({ ...input, verifierHex: fake.verifier, AHex: clientA(aHex), bHex, signatureBase64 }),
      ).toBe(false);
    }
  });
});
