// The composition root: wires clock, random, store, keys, trigger runner and logger into one HTTP server.
import type { AddressInfo } from "node:net";
import type { Clock } from "../shared/clock.js";
import { systemClock } from "../shared/clock.js";
import { createHttpServer } from "./http/server.js";
import { silentLogger } from "./logger.js";
import type { Logger, Random, ServerConfig, ServerDeps } from "./ports.js";
import { cryptoRandom } from "./random.js";
import { openStore } from "./store/index.js";
import type { Store } from "./store/port.js";
import { noTriggers, type TriggerRunner } from "./trigger-runner/port.js";

export interface ServerOptions {
  port?: number | undefined;
  host?: string | undefined;
  region?: string | undefined;
  accountId?: string | undefined;
  /** Token issuer base; default AWS's `https://cognito-idp.<region>.amazonaws.com`. */
  issuerBase?: string | undefined;
  outbox?: boolean | undefined;
  /** A store to use as is (tests); otherwise `memory` or `dataDir` choose one. */
  store?: Store | undefined;
  memory?: boolean | undefined;
  dataDir?: string | undefined;
  clock?: Clock | undefined;
  random?: Random | undefined;
  triggers?: TriggerRunner | undefined;
  logger?: Logger | undefined;
}

export interface RunningServer {
  url: string;
  port: number;
  deps: ServerDeps;
  close(): Promise<void>;
}

export function serverConfig(options: ServerOptions): ServerConfig {
  const region = options.region ?? "us-east-1";
  return {
    region,
    accountId: options.accountId ?? "000000000000",
    issuerBase: (options.issuerBase ?? `https://cognito-idp.${region}.amazonaws.com`).replace(/\/+$/, ""),
    outbox: options.outbox ?? true,
  };
}

export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const store =
    options.store ??
    (await openStore(options.memory || !options.dataDir ? { memory: true } : { dataDir: options.dataDir }));
  const deps: ServerDeps = {
    config: serverConfig(options),
    clock: options.clock ?? systemClock,
    random: options.random ?? cryptoRandom,
    store,
    triggers: options.triggers ?? noTriggers,
    logger: options.logger ?? silentLogger,
  };
  const server = createHttpServer(deps);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 9339, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port, address } = server.address() as AddressInfo;
  const host = address.includes(":") ? `[${address}]` : address;
  let closed = false;
  return {
    url: `http://${host}:${port}`,
    port,
    deps,
    async close() {
      if (closed) return;
      closed = true;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      if (!options.store) await store.close();
    },
  };
}
