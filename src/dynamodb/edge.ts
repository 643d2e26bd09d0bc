// The edge's DynamoDB: an embedded dynalite that never listens; the edge hands it `DynamoDB_20120810.*` requests.
import { mkdirSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createRequire } from "node:module";
import { PassThrough } from "node:stream";

export const DYNAMODB_TARGET_PREFIX = "DynamoDB_20120810.";

export interface DynamoDbEngineOptions {
  /** LevelDB directory (created if missing); in memory when absent. */
  path?: string | undefined;
}

/** DynamoDB on the edge's port: requests are dispatched to it, its store is closed with the edge. */
export interface DynamoDbEngine {
  /** Answers one DynamoDB request; dynalite reads the body itself, so it must not have been read. */
  handle(req: IncomingMessage, res: ServerResponse): void;
  close(): Promise<void>;
}

/** The part of dynalite's store (`dynalite/db`'s create()) the engine needs to close it. */
interface DynaliteStore {
  db: { close(callback: (error?: Error | null) => void): void };
}

interface DynaliteDbModule {
  create(options: Record<string, unknown>): DynaliteStore;
}

interface DynaliteServer {
  emit(event: "request", req: unknown, res: ServerResponse): boolean;
}

type Dynalite = (options: Record<string, unknown>) => DynaliteServer;

const require = createRequire(import.meta.url);

export function isDynamoDbTarget(target: unknown): boolean {
  return typeof target === "string" && target.startsWith(DYNAMODB_TARGET_PREFIX);
}

/**
 * Creates the engine lazily: a server that is never sent a DynamoDB call opens no LevelDB (and takes
 * no lock on the data dir's `dynamodb/`).
 */
export function createDynamoDbEngine(options: DynamoDbEngineOptions = {}): DynamoDbEngine {
  let started: { server: DynaliteServer; store: DynaliteStore } | undefined;
  let closed = false;

  function start() {
    if (started) return started;
    if (options.path) mkdirSync(options.path, { recursive: true });
    const dynalite = require("dynalite") as Dynalite;
    // dynalite's own close() closes its LevelDB only after closing a listening HTTP server, and this
    // one never listens; capturing the store it creates lets the engine close the database itself.
    const dbModule = require("dynalite/db/index.js") as DynaliteDbModule;
    const create = dbModule.create;
    let store: DynaliteStore | undefined;
    dbModule.create = (opts) => {
      store = create(opts);
      return store;
    };
    let server: DynaliteServer;
    try {
      // Tables are ACTIVE at once: a local deploy must not poll through CREATING/DELETING.
      server = dynalite({
        ...(options.path ? { path: options.path } : {}),
        createTableMs: 0,
        deleteTableMs: 0,
        updateTableMs: 0,
      });
    } finally {
      dbModule.create = create;
    }
    if (!store) throw new Error("dynalite did not create its store");
    started = { server, store };
    return started;
  }

  return {
    handle(req, res) {
      if (closed) {
        res.writeHead(503, { "content-type": "application/x-amz-json-1.0" });
        res.end(JSON.stringify({ __type: "com.amazonaws.dynamodb.v20120810#ServiceUnavailable" }));
        return;
      }
      const { server } = start();
      // dynalite rethrows request stream errors from a listener (a crash on a client that hangs up);
      // it reads a copy of the request instead, which simply never ends when the client goes away.
      const copy = Object.assign(new PassThrough(), {
        headers: req.headers,
        method: req.method,
        url: req.url,
        httpVersion: req.httpVersion,
      });
      req.on("error", () => copy.destroy());
      req.pipe(copy);
      server.emit("request", copy, res);
    },
    async close() {
      if (closed) return;
      closed = true;
      if (!started) return;
      const { store } = started;
      await new Promise<void>((resolve, reject) => {
        store.db.close((error) => (error ? reject(error) : resolve()));
      });
    },
  };
}
