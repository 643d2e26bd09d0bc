// GET routes: health, each pool's JWKS and OpenID configuration, and the local outbox.
import type { IncomingMessage, ServerResponse } from "node:http";
import { poolJwks } from "../cognito/domain/keys.js";
import { outboxFor, outboxJson } from "../cognito/domain/outbox.js";
import { issuerOf } from "../cognito/domain/pools.js";
import { openidConfiguration } from "../cognito/tokens/discovery.js";
import type { ServerDeps } from "../edge/deps.js";
import { writeJson } from "./protocol.js";

const POOL_ROUTE = /^\/([\w-]+_[0-9a-zA-Z]+)\/\.well-known\/(jwks\.json|openid-configuration)$/;

export async function handleGet(req: IncomingMessage, res: ServerResponse, deps: ServerDeps): Promise<void> {
  const url = new URL(req.url ?? "/", "http://local");
  if (url.pathname === "/health") {
    writeJson(res, 200, { status: "ok" });
    return;
  }
  const pool = POOL_ROUTE.exec(url.pathname);
  if (pool) {
    const [, poolId = "", document] = pool;
    const exists = await deps.store.transaction((tx) => tx.getPool(poolId));
    if (!exists) {
      writeJson(res, 404, { message: `User pool ${poolId} does not exist.` });
      return;
    }
    if (document === "jwks.json") writeJson(res, 200, await poolJwks(deps, poolId));
    else {
      const host = req.headers.host ?? "127.0.0.1";
      writeJson(res, 200, openidConfiguration(issuerOf(deps.config, poolId), `http://${host}/${poolId}`));
    }
    return;
  }
  if (url.pathname === "/_local/outbox") {
    const userPoolId = url.searchParams.get("userPoolId") ?? undefined;
    const name = url.searchParams.get("username") ?? undefined;
    const messages = await deps.store.transaction((tx) => outboxFor(tx, userPoolId, name));
    writeJson(res, 200, outboxJson(messages));
    return;
  }
  writeJson(res, 404, { message: `No route for GET ${url.pathname}` });
}
