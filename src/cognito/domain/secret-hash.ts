// SECRET_HASH of app clients with a secret: Base64(HMAC-SHA256(key = client secret, username ‖ client id)).
import { createHmac, timingSafeEqual } from "node:crypto";

function digest(clientSecret: string, username: string, clientId: string): Buffer {
  return createHmac("sha256", Buffer.from(clientSecret, "utf8"))
    .update(`${username}${clientId}`, "utf8")
    .digest();
}

/** The SECRET_HASH a client must send for `username` (the value it sends as USERNAME in that call). */
export function secretHash(clientSecret: string, username: string, clientId: string): string {
  return digest(clientSecret, username, clientId).toString("base64");
}

/**
 * Whether `given` (the SECRET_HASH received) is right, compared in constant time. Arguments in secretHash's
 * order, the received value last.
 */
export function verifySecretHash(
  clientSecret: string,
  username: string,
  clientId: string,
  given: string,
): boolean {
  if (typeof given !== "string") return false;
  const expected = digest(clientSecret, username, clientId);
  const provided = Buffer.from(given, "base64");
  // Buffer's decoder skips stray characters; requiring the canonical text keeps "almost base64" out.
  if (provided.length !== expected.length || provided.toString("base64") !== given) return false;
  return timingSafeEqual(expected, provided);
}
