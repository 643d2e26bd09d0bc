// Each pool's keys (ID, access, refresh), created on first use outside any transaction and persisted.
import type { KeyUse, SigningKeyRecord } from "../../store/model.js";
import type { StoreTx } from "../../store/port.js";
import type { CognitoDeps } from "../ports.js";
import { generateSigningKey, jwks } from "../tokens/keys.js";

export type PoolKeys = Record<KeyUse, SigningKeyRecord>;

const USES: readonly KeyUse[] = ["id", "access", "refresh"];

/**
 * A pool's keys never change once made (pool ids are random and never reused), so each store's
 * complete key sets are cached: every sign-in and every access-token check needs them.
 */
const cache = new WeakMap<object, Map<string, PoolKeys>>();

function cacheOf(store: object): Map<string, PoolKeys> {
  let map = cache.get(store);
  if (!map) {
    map = new Map();
    cache.set(store, map);
  }
  return map;
}

/** The cached keys of a pool, if a complete set was read or made before. */
export function cachedPoolKeys(store: object, poolId: string): PoolKeys | undefined {
  return cacheOf(store).get(poolId);
}

function remember(store: object, poolId: string, byUse: Map<KeyUse, SigningKeyRecord>): PoolKeys | undefined {
  const id = byUse.get("id");
  const access = byUse.get("access");
  const refresh = byUse.get("refresh");
  if (!id || !access || !refresh) return undefined;
  const keys = { id, access, refresh };
  cacheOf(store).set(poolId, keys);
  return keys;
}

/** Keys read inside a transaction (access-token checks): cached on first read. */
export async function poolKeysIn(tx: StoreTx, store: object, poolId: string): Promise<PoolKeys | undefined> {
  const cached = cachedPoolKeys(store, poolId);
  if (cached) return cached;
  const existing = await tx.getSigningKeys(poolId);
  return remember(store, poolId, new Map(existing.map((key) => [key.use, key])));
}

/**
 * The pool's three keys. RSA key generation takes tens of milliseconds, so missing keys are made
 * outside the store's transaction and inserted only if still absent (another request may have won).
 */
export async function poolKeys(deps: CognitoDeps, poolId: string): Promise<PoolKeys> {
  const cached = cachedPoolKeys(deps.store, poolId);
  if (cached) return cached;
  const existing = await deps.store.transaction((tx) => tx.getSigningKeys(poolId));
  const byUse = new Map(existing.map((key) => [key.use, key]));
  const missing = USES.filter((use) => !byUse.has(use));
  if (missing.length > 0) {
    const now = deps.clock.now();
    const made = await Promise.all(missing.map((use) => generateSigningKey(deps.random, use, poolId, now)));
    // One at a time: a transaction is one database connection, which runs one statement at a time.
    const stored = await deps.store.transaction(async (tx) => {
      const out = [];
      for (const key of made) out.push(await tx.putSigningKeyIfAbsent(key));
      return out;
    });
    for (const key of stored) byUse.set(key.use, key);
  }
  return remember(deps.store, poolId, byUse) as PoolKeys;
}

export async function poolJwks(deps: CognitoDeps, poolId: string) {
  const keys = await poolKeys(deps, poolId);
  return jwks([keys.id, keys.access]);
}
