// Imported jose keys by JWK text: importing an RSA key costs more than one signature, and pools reuse theirs.
import { type CryptoKey, importJWK, type JWK } from "jose";

const MAX_ENTRIES = 512;
const cache = new Map<string, Promise<CryptoKey>>();

/** The CryptoKey of a JWK (JSON text) for `alg`, imported once per process. */
export function importKey(jwkText: string, alg: string): Promise<CryptoKey> {
  const id = `${alg}\n${jwkText}`;
  const known = cache.get(id);
  if (known) return known;
  const imported = (async () => {
    const key = await importJWK(JSON.parse(jwkText) as JWK, alg);
    if (key instanceof Uint8Array) throw new TypeError("expected an asymmetric key");
    return key;
  })();
  cache.set(id, imported);
  // A failed import must not stay cached, or a transient error would stick to the key forever.
  imported.catch(() => cache.delete(id));
  if (cache.size > MAX_ENTRIES) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  return imported;
}
