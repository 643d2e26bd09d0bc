// Each pool's keys (ID, access, refresh), created on first use outside any transaction and persisted.
import type { KeyUse, SigningKeyRecord } from "../model.js";
import type { ServerDeps } from "../ports.js";
import { generateSigningKey, jwks } from "../tokens/keys.js";

export type PoolKeys = Record<KeyUse, SigningKeyRecord>;

const USES: readonly KeyUse[] = ["id", "access", "refresh"];

/**
 * The pool's three keys. RSA key generation takes tens of milliseconds, so missing keys are made
 * outside the store's transaction and inserted only if still absent (another request may have won).
 */
export async function poolKeys(deps: ServerDeps, poolId: string): Promise<PoolKeys> {
  const existing = await deps.store.transaction((tx) => tx.getSigningKeys(poolId));
  const byUse = new Map(existing.map((key) => [key.use, key]));
  const missing = USES.filter((use) => !byUse.has(use));
  if (missing.length > 0) {
    const now = deps.clock.now();
    const made = await Promise.all(missing.map((use) => generateSigningKey(deps.random, use, poolId, now)));
    const stored = await deps.store.transaction(async (tx) =>
      Promise.all(made.map((key) => tx.putSigningKeyIfAbsent(key))),
    );
    for (const key of stored) byUse.set(key.use, key);
  }
  return {
    id: byUse.get("id") as SigningKeyRecord,
    access: byUse.get("access") as SigningKeyRecord,
    refresh: byUse.get("refresh") as SigningKeyRecord,
  };
}

export async function poolJwks(deps: ServerDeps, poolId: string) {
  const keys = await poolKeys(deps, poolId);
  return jwks([keys.id, keys.access]);
}
