// The example's User Service: POST/GET /api/v1/users over node:http, persisted to a JSON file, idempotent on cognitoSub.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { dirname } from "node:path";
import { pathToFileURL } from "node:url";

const REQUIRED = ["cognitoSub", "email"];

/**
 * Starts the service. `failNext(n)` makes the next n POSTs answer 500 (how the demo shows a failed
 * sync and its replay without stopping the service).
 * @param {{ port?: number, host?: string, dataFile: string, apiKey?: string, now?: () => string }} options
 */
export async function startUserService(options) {
  const { dataFile, apiKey } = options;
  const now = options.now ?? (() => new Date().toISOString());
  /** @type {Record<string, Record<string, unknown>>} */
  let users = {};
  try {
    users = JSON.parse(readFileSync(dataFile, "utf8"));
  } catch {
    // No file yet: an empty service.
  }
  const save = () => {
    mkdirSync(dirname(dataFile), { recursive: true });
    // Written aside and renamed, so a crash never leaves half a file.
    writeFileSync(`${dataFile}.tmp`, JSON.stringify(users, null, 2));
    renameSync(`${dataFile}.tmp`, dataFile);
  };
  let failures = 0;
  const requests = [];

  const send = (res, status, body) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };

  const server = createServer((req, res) => {
    const chunks = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://local");
      requests.push({ method: req.method, path: url.pathname });
      if (apiKey && req.headers["x-api-key"] !== apiKey)
        return send(res, 401, { message: "Invalid API key" });
      const match = /^\/api\/v1\/users(?:\/([^/]+))?\/?$/.exec(url.pathname);
      if (!match) return send(res, 404, { message: `No route for ${req.method} ${url.pathname}` });
      const sub = match[1] ? decodeURIComponent(match[1]) : undefined;
      if (req.method === "GET") {
        if (!sub) return send(res, 200, { users: Object.values(users) });
        const user = users[sub];
        return user ? send(res, 200, user) : send(res, 404, { message: `User ${sub} not found` });
      }
      if (req.method === "POST" && !sub) {
        if (failures > 0) {
          failures--;
          return send(res, 500, { message: "Simulated outage" });
        }
        let body;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
        } catch {
          return send(res, 400, { message: "Body must be JSON" });
        }
        const missing = REQUIRED.filter((key) => typeof body?.[key] !== "string" || body[key] === "");
        if (missing.length > 0) return send(res, 400, { message: `Missing ${missing.join(", ")}` });
        const existing = users[body.cognitoSub];
        // Idempotent: a retried or replayed sync returns the user already there.
        if (existing) return send(res, 200, existing);
        const user = { ...body, createdAt: now() };
        users[body.cognitoSub] = user;
        save();
        return send(res, 201, user);
      }
      send(res, 405, { message: `Method ${req.method} not allowed` });
    });
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve(undefined));
  });
  const address = /** @type {import("node:net").AddressInfo} */ (server.address());
  return {
    url: `http://${options.host ?? "127.0.0.1"}:${address.port}`,
    port: address.port,
    /** @param {number} count */
    failNext(count) {
      failures = count;
    },
    requests,
    users: () => Object.values(users),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve(undefined));
        server.closeAllConnections();
      }),
  };
}

// `node user-service/server.mjs [port] [data file]`: run it on its own.
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const service = await startUserService({
    port: Number(process.argv[2] ?? process.env.PORT ?? 8080),
    dataFile: process.argv[3] ?? process.env.USER_SERVICE_DATA ?? "user-service-data.json",
    apiKey: process.env.USER_SERVICE_API_KEY || undefined,
  });
  console.log(`User Service listening on ${service.url}`);
}
