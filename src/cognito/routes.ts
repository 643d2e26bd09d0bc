// Cognito's GET routes on the edge: each pool's JWKS and OpenID configuration, and the local outbox.
import { Hono } from "hono";
import { poolJwks } from "./domain/keys.js";
import { outboxFor, outboxJson } from "./domain/outbox.js";
import { issuerOf } from "./domain/pools.js";
import type { CognitoDeps } from "./ports.js";
import { openidConfiguration } from "./tokens/discovery.js";

const POOL_ID = /^[\w-]+_[0-9a-zA-Z]+$/;

export function cognitoRoutes(deps: CognitoDeps): Hono {
  const app = new Hono();
  app.get("/:poolId/.well-known/:document{jwks\\.json|openid-configuration}", async (c) => {
    const poolId = c.req.param("poolId");
    if (!POOL_ID.test(poolId)) return c.notFound();
    const exists = await deps.store.transaction((tx) => tx.getPool(poolId));
    if (!exists) return c.json({ message: `User pool ${poolId} does not exist.` }, 404);
    if (c.req.param("document") === "jwks.json") return c.json(await poolJwks(deps, poolId));
    const host = c.req.header("host") ?? "127.0.0.1";
    return c.json(openidConfiguration(issuerOf(deps.config, poolId), `http://${host}/${poolId}`));
  });
  app.get("/_local/outbox", async (c) => {
    const userPoolId = c.req.query("userPoolId");
    const name = c.req.query("username");
    const messages = await deps.store.transaction((tx) => outboxFor(tx, userPoolId, name));
    return c.json(outboxJson(messages));
  });
  return app;
}
