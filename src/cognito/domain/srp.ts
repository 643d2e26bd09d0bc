// Cognito's SRP-6a variant (USER_SRP_AUTH): password verifiers, the server's B and claim check, and a client side.
import {
  constants,
  createHash,
  createHmac,
  createPublicKey,
  publicEncrypt,
  timingSafeEqual,
} from "node:crypto";
import type { Random } from "../../shared/random.js";

/** RFC 5054 3072-bit group prime (the same number as RFC 3526 group 15). */
export const N = BigInt(
  "0xFFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD" +
    "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED" +
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F" +
    "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B" +
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510" +
    "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7" +
    "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C" +
    "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF",
);
export const g = 2n;

const N_BYTES = 384;
/** Longest SRP_A accepted: A is below N (768 hex digits); the slack admits leading zeros, the cap bounds work. */
const MAX_A_HEX = 2048;
const HEX = /^[0-9a-fA-F]+$/;

/**
 * Java's `BigInteger.toByteArray()` as hex (minimal two's complement, non-negative only): Cognito's server
 * is Java, so every hashed integer is encoded this way and `N` hashes as 385 bytes.
 */
export function padHex(n: bigint): string {
  if (n < 0n) throw new RangeError("padHex takes non-negative integers");
  const hex = n.toString(16);
  if (hex.length % 2 === 1) return `0${hex}`;
  return "89abcdef".includes(hex[0]!) ? `00${hex}` : hex;
}

/** Parses a hex integer (no `0x`); throws on anything else so callers cannot hash garbage. */
export function hexToBigInt(hex: string): bigint {
  if (!HEX.test(hex)) throw new RangeError("not a hex integer");
  return BigInt(`0x${hex}`);
}

const sha256Hex = (data: Buffer | string): string => createHash("sha256").update(data).digest("hex");
const hashOfHex = (hex: string): string => sha256Hex(Buffer.from(hex, "hex"));
const fixedBytes = (n: bigint, length: number): Buffer =>
  Buffer.from(n.toString(16).padStart(length * 2, "0"), "hex");
const minimalBytes = (n: bigint): Buffer => {
  const hex = n.toString(16);
  return Buffer.from(hex.length % 2 === 1 ? `0${hex}` : hex, "hex");
};

export const k = hexToBigInt(hashOfHex(padHex(N) + padHex(g)));

// ---------------------------------------------------------------------------------------------------------
// Modular exponentiation. An RSA public-key operation is exactly `m^e mod n`, and OpenSSL's Montgomery
// code is ~4x faster than BigInt arithmetic, so the exponentiations go through `publicEncrypt` with
// (n = N, e = exponent, no padding). OpenSSL accepts any odd or even e below n for moduli up to 3072 bits,
// which N is. Should a runtime refuse (FIPS mode, a future OpenSSL check), the BigInt path takes over.

const N_BASE64URL = fixedBytes(N, N_BYTES).toString("base64url");

function opensslModPow(base: bigint, exponent: bigint): bigint {
  const key = createPublicKey({
    key: { kty: "RSA", n: N_BASE64URL, e: minimalBytes(exponent).toString("base64url") },
    format: "jwk",
  });
  const out = publicEncrypt({ key, padding: constants.RSA_NO_PADDING }, fixedBytes(base, N_BYTES));
  return BigInt(`0x${out.toString("hex")}`);
}

/** Fixed 4-bit-window square-and-multiply: the portable fallback, and the check of the fast path. */
export function bigintModPow(base: bigint, exponent: bigint, modulus: bigint = N): bigint {
  const b = ((base % modulus) + modulus) % modulus;
  const table: bigint[] = [1n, b];
  for (let i = 2; i < 16; i++) table.push((table[i - 1]! * b) % modulus);
  let result = 1n;
  for (const digit of exponent.toString(16)) {
    result = (result * result) % modulus;
    result = (result * result) % modulus;
    result = (result * result) % modulus;
    result = (result * result) % modulus;
    const d = Number.parseInt(digit, 16);
    if (d !== 0) result = (result * table[d]!) % modulus;
  }
  return result;
}

let fastPath: boolean | undefined;

function fastPathWorks(): boolean {
  if (fastPath === undefined) {
    try {
      const base = k;
      const exponent = (k << 5n) | 0xabcn;
      fastPath = opensslModPow(base, exponent) === bigintModPow(base, exponent);
    } catch {
      fastPath = false;
    }
  }
  return fastPath;
}

/** Which exponentiation runs: "openssl" unless this runtime refused the RSA trick (then ~4x slower). */
export function modPowBackend(): "openssl" | "bigint" {
  return fastPathWorks() ? "openssl" : "bigint";
}

/** `base^exponent mod N` for non-negative exponents. */
export function modPowN(base: bigint, exponent: bigint): bigint {
  if (exponent < 0n) throw new RangeError("negative exponent");
  const b = ((base % N) + N) % N;
  if (exponent === 0n) return 1n;
  if (b <= 1n) return b;
  // N is prime and b ≠ 0, so b^(N-1) = 1 and exponents reduce mod N-1 (keeps e < n for OpenSSL).
  const e = exponent % (N - 1n);
  if (e === 0n) return 1n;
  return fastPathWorks() ? opensslModPow(b, e) : bigintModPow(b, e);
}

// ---------------------------------------------------------------------------------------------------------
// Password verifiers

/** `PoolName` of SRP: the part of the pool id after the underscore. */
export function poolNameOf(poolId: string): string {
  const at = poolId.indexOf("_");
  return at === -1 ? poolId : poolId.slice(at + 1);
}

export interface PasswordInput {
  /** The part of the pool id after `_`. */
  poolName: string;
  /** USER_ID_FOR_SRP: the internal username. */
  username: string;
  password: string;
  saltHex: string;
}

/** `x = H(padHex(salt) ‖ H(poolName ‖ username ‖ ":" ‖ password))`, the inner hash decoded to bytes. */
export function computeX({ poolName, username, password, saltHex }: PasswordInput): bigint {
  const inner = sha256Hex(Buffer.from(`${poolName}${username}:${password}`, "utf8"));
  return hexToBigInt(hashOfHex(padHex(hexToBigInt(saltHex)) + inner));
}

/** `v = g^x mod N` as hex. */
export function computeVerifier(input: PasswordInput): string {
  return padHex(modPowN(g, computeX(input)));
}

/** A fresh 16-byte salt and its verifier: what a PasswordRecord keeps instead of the password. */
export function newPasswordRecordParts(
  random: Random,
  poolName: string,
  username: string,
  password: string,
): { salt: string; verifier: string } {
  const salt = random.bytes(16).toString("hex");
  return { salt, verifier: computeVerifier({ poolName, username, password, saltHex: salt }) };
}

function equalGroupElements(a: bigint, b: bigint): boolean {
  if (a < 0n || b < 0n || a >= 1n << 3072n || b >= 1n << 3072n) return false;
  return timingSafeEqual(fixedBytes(a, N_BYTES), fixedBytes(b, N_BYTES));
}

/** Whether `password` is the one the stored salt and verifier were made from (ADMIN_USER_PASSWORD_AUTH etc.). */
export function checkPassword(input: {
  poolName: string;
  username: string;
  password: string;
  salt: string;
  verifier: string;
}): boolean {
  if (!HEX.test(input.salt) || !HEX.test(input.verifier)) return false;
  const computed = modPowN(g, computeX({ ...input, saltHex: input.salt }));
  return equalGroupElements(computed, hexToBigInt(input.verifier));
}

// ---------------------------------------------------------------------------------------------------------
// The exchange

/** Whether SRP_A is usable: hex, not absurdly long, and `A mod N ≠ 0`. */
export function isValidA(AHex: string): boolean {
  if (typeof AHex !== "string" || AHex.length > MAX_A_HEX || !HEX.test(AHex)) return false;
  return hexToBigInt(AHex) % N !== 0n;
}

/** Server's ephemeral pair: `b` (256 random bits) and `B = (k·v + g^b) mod N`, both hex. */
export function startServerSession(
  random: Random,
  { verifierHex }: { verifierHex: string },
): {
  bHex: string;
  BHex: string;
} {
  const v = hexToBigInt(verifierHex);
  for (;;) {
    const b = BigInt(`0x${random.bytes(32).toString("hex")}`);
    if (b === 0n) continue;
    const B = (k * v + modPowN(g, b)) % N;
    if (B !== 0n) return { bHex: b.toString(16), BHex: B.toString(16) };
  }
}

/** `u = H(padHex(A) ‖ padHex(B))`. */
export function computeU(A: bigint, B: bigint): bigint {
  return hexToBigInt(hashOfHex(padHex(A) + padHex(B)));
}

/** Server's premaster secret `S = (A · v^u)^b mod N`. */
export function serverS(A: bigint, v: bigint, u: bigint, b: bigint): bigint {
  return modPowN((A % N) * modPowN(v, u), b);
}

/** Client's premaster secret `S = (B − k·g^x)^(a + u·x) mod N`. */
export function clientS(B: bigint, x: bigint, a: bigint, u: bigint): bigint {
  const base = (((B - k * modPowN(g, x)) % N) + N) % N;
  return modPowN(base, a + u * x);
}

const INFO = Buffer.concat([Buffer.from("Caldera Derived Key", "utf8"), Buffer.from([1])]);

/** One block of HKDF-SHA256 with salt `u` and info "Caldera Derived Key", cut to 16 bytes. */
export function deriveKey(S: bigint, u: bigint): Buffer {
  const prk = createHmac("sha256", Buffer.from(padHex(u), "hex"))
    .update(Buffer.from(padHex(S), "hex"))
    .digest();
  return createHmac("sha256", prk).update(INFO).digest().subarray(0, 16);
}

/** HMAC-SHA256 over poolName ‖ userIdForSrp ‖ secretBlock ‖ timestamp: PASSWORD_CLAIM_SIGNATURE's bytes. */
export function claimSignature(input: {
  key: Buffer;
  poolName: string;
  userIdForSrp: string;
  secretBlockBytes: Buffer;
  timestamp: string;
}): Buffer {
  return createHmac("sha256", input.key)
    .update(Buffer.from(input.poolName, "utf8"))
    .update(Buffer.from(input.userIdForSrp, "utf8"))
    .update(input.secretBlockBytes)
    .update(Buffer.from(input.timestamp, "utf8"))
    .digest();
}

export interface ClaimInput {
  poolName: string;
  userIdForSrp: string;
  /** Not needed by the server's computation (the verifier already contains it); accepted for symmetry. */
  saltHex?: string;
  verifierHex: string;
  AHex: string;
  bHex: string;
  BHex: string;
  secretBlockBytes: Buffer;
  /** TIMESTAMP exactly as the client sent it: the signature covers its text. */
  timestamp: string;
  signatureBase64: string;
}

/** Whether PASSWORD_CLAIM_SIGNATURE proves knowledge of the password. Malformed input is simply false. */
export function verifyClaim(input: ClaimInput): boolean {
  if (
    !isValidA(input.AHex) ||
    !HEX.test(input.verifierHex) ||
    !HEX.test(input.bHex) ||
    !HEX.test(input.BHex)
  ) {
    return false;
  }
  const given = Buffer.from(input.signatureBase64, "base64");
  if (given.length !== 32) return false;
  const A = hexToBigInt(input.AHex);
  const u = computeU(A, hexToBigInt(input.BHex));
  if (u === 0n) return false;
  const S = serverS(A, hexToBigInt(input.verifierHex), u, hexToBigInt(input.bHex));
  const expected = claimSignature({ ...input, key: deriveKey(S, u) });
  return timingSafeEqual(expected, given);
}

// ---------------------------------------------------------------------------------------------------------
// Client side, as amazon-cognito-identity-js computes it: for tests and a command-line client.

/** A fresh client secret `a` (128 random bytes mod N, like amazon-cognito-identity-js) as hex. */
export function newClientSecret(random: Random): string {
  for (;;) {
    const a = BigInt(`0x${random.bytes(128).toString("hex")}`) % N;
    if (a !== 0n) return a.toString(16);
  }
}

/** SRP_A for a client secret `a`: `g^a mod N`, unpadded hex. */
export function clientA(aHex: string): string {
  return modPowN(g, hexToBigInt(aHex)).toString(16);
}

/** The client's HKDF key: the same 16 bytes the server derives when the password is right. */
export function clientKey(input: PasswordInput & { aHex: string; BHex: string }): Buffer {
  const a = hexToBigInt(input.aHex);
  const A = modPowN(g, a);
  const B = hexToBigInt(input.BHex);
  if (B % N === 0n) throw new RangeError("B mod N is 0");
  const u = computeU(A, B);
  if (u === 0n) throw new RangeError("u is 0");
  return deriveKey(clientS(B, computeX(input), a, u), u);
}

/** PASSWORD_CLAIM_SIGNATURE (base64) a client sends for the PASSWORD_VERIFIER challenge. */
export function clientSignature(input: {
  poolName: string;
  userIdForSrp: string;
  password: string;
  saltHex: string;
  aHex: string;
  BHex: string;
  secretBlockBytes: Buffer;
  timestamp: string;
}): string {
  const key = clientKey({ ...input, username: input.userIdForSrp });
  return claimSignature({ ...input, key }).toString("base64");
}

// ---------------------------------------------------------------------------------------------------------
// PreventUserExistenceErrors: a challenge for a user who does not exist must look like a real one, and
// repeat itself for the same name, or probing twice would reveal the difference.

function derive(secret: Buffer, label: string, poolId: string, username: string, length: number): Buffer {
  const blocks: Buffer[] = [];
  for (let i = 0; blocks.length * 32 < length; i++) {
    blocks.push(
      createHmac("sha256", secret).update(`${label}\0${i}\0${poolId}\0${username}`, "utf8").digest(),
    );
  }
  return Buffer.concat(blocks).subarray(0, length);
}

/** Deterministic SALT, UUID-shaped USER_ID_FOR_SRP and a verifier (for SRP_B) for an unknown username. */
export function fakeSrpChallenge(
  secret: Buffer,
  poolId: string,
  username: string,
): { salt: string; userIdForSrp: string; verifier: string } {
  const salt = derive(secret, "srp-fake-salt", poolId, username, 16).toString("hex");
  const id = derive(secret, "srp-fake-user", poolId, username, 16);
  id[6] = (id[6]! & 0x0f) | 0x40;
  id[8] = (id[8]! & 0x3f) | 0x80;
  const hex = id.toString("hex");
  const userIdForSrp = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  // Any residue in [1, N) is as plausible a verifier as g^x: B = k·v + g^b is uniform either way.
  const v =
    BigInt(`0x${derive(secret, "srp-fake-verifier", poolId, username, N_BYTES + 16).toString("hex")}`) % N;
  return { salt, userIdForSrp, verifier: padHex(v === 0n ? 1n : v) };
}
