// The edge's front: AWS JSON calls dispatched by X-Amz-Target, every path-routed service mounted on one Hono app.
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { getRequestListener, type HttpBindings } from "@hono/node-server";
import { Hono } from "hono";
import type { JsonService } from "../shared/json-service.js";
import type { Logger } from "../shared/logger.js";
import type { Random } from "../shared/random.js";
import { answerJson } from "./aws-json.js";
import { CORS_HEADERS, errorAnswer, jsonAnswer, toResponse, writeAnswer } from "./protocol.js";

/** A service that takes the raw Node request itself (DynamoDB: dynalite reads and writes its own). */
export interface RawService {
  targetPrefix: string;
  handle(req: IncomingMessage, res: ServerResponse): void;
}

export interface EdgeMounts {
  /** AWS JSON services, dispatched by X-Amz-Target. */
  json: readonly JsonService[];
  /** JSON-protocol services that handle the raw request themselves. */
  raw: readonly RawService[];
  /** Path-routed services (Lambda's restJson API, JWKS, outbox; OAuth, pages and the console later). */
  routes: readonly Hono[];
}

export interface EdgeDeps {
  logger: Logger;
  random: Pick<Random, "uuid">;
}

type EdgeEnv = { Bindings: HttpBindings; Variables: { requestId: string } };

/** Request id, CORS headers and one log line per request, whichever way the request is answered. */
function track(res: ServerResponse, deps: EdgeDeps, label: string): string {
  const started = performance.now();
  for (const name in CORS_HEADERS) res.setHeader(name, CORS_HEADERS[name] as string);
  res.once("finish", () => {
    deps.logger.info("request", {
      action: label,
      status: res.statusCode,
      ms: Math.round((performance.now() - started) * 10) / 10,
    });
  });
  return deps.random.uuid();
}

/**
 * The edge's request listener. AWS JSON calls (a POST with X-Amz-Target) are dispatched by a table of
 * target prefixes before the router: the router's Request/Response conversion cost that hot path 18% of
 * its throughput (bench/edge.mjs), and header dispatch is no path routing anyway. Every other
 * request goes to the Hono app, where each path-routed service mounts itself.
 */
export function createEdgeListener(mounts: EdgeMounts, deps: EdgeDeps): RequestListener {
  const app = routesApp(mounts, deps);
  const routed = getRequestListener(app.fetch, { autoCleanupIncoming: false });
  return (req, res) => {
    const target = req.headers["x-amz-target"];
    if (req.method === "OPTIONS") {
      track(res, deps, `OPTIONS ${req.url}`);
      res.writeHead(204);
      res.end();
      return;
    }
    if (req.method !== "POST" || typeof target !== "string") {
      void routed(req, res);
      return;
    }
    // Logged by operation (`CreateUserPool`, `Encrypt`, `PutItem`): the prefix only names the service.
    const requestId = track(res, deps, target.slice(target.lastIndexOf(".") + 1) || target);
    const raw = mounts.raw.find((s) => target.startsWith(s.targetPrefix));
    if (raw) {
      raw.handle(req, res);
      return;
    }
    answerJson(
      mounts.json,
      { req, target, requestId, dropConnection: () => res.once("finish", () => req.destroy()) },
      deps.logger,
    ).then(
      (answer) => writeAnswer(res, answer),
      (error: unknown) => {
        deps.logger.error("unhandled error", { error: error instanceof Error ? error.stack : String(error) });
        writeAnswer(res, errorAnswer(error, requestId).answer);
      },
    );
  };
}

function routesApp(mounts: EdgeMounts, deps: EdgeDeps): Hono<EdgeEnv> {
  const app = new Hono<EdgeEnv>();
  app.use(async (c, next) => {
    c.set("requestId", track(c.env.outgoing, deps, `${c.req.method} ${c.req.path}`));
    await next();
  });
  app.get("/health", (c) => c.json({ status: "ok" }));
  for (const routes of mounts.routes) app.route("/", routes);
  // A POST no route took and without X-Amz-Target: what AWS's JSON front end answers.
  app.post("*", async (c) =>
    toResponse(
      await answerJson(
        mounts.json,
        { req: c.env.incoming, target: "", requestId: c.get("requestId"), dropConnection: () => {} },
        deps.logger,
      ),
    ),
  );
  app.notFound((c) =>
    toResponse(
      c.req.method === "GET" || c.req.method === "HEAD"
        ? jsonAnswer(404, { message: `No route for GET ${c.req.path}` })
        : jsonAnswer(405, { message: `Method ${c.req.method} is not allowed` }),
    ),
  );
  app.onError((error, c) => {
    deps.logger.error("unhandled error", { error: error instanceof Error ? error.stack : String(error) });
    return toResponse(errorAnswer(error, c.get("requestId") ?? "").answer);
  });
  return app;
}
