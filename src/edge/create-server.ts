// The composition root: wires clock, random, store, keys, invokers and logger, and serves the edge on one port.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { createCognitoRunner } from "../cognito/trigger-runner/cognito-runner.js";
import type { TriggerRunner } from "../cognito/trigger-runner/port.js";
import { createDynamoDbEngine, type DynamoDbEngine } from "../dynamodb/edge.js";
import { createCompositeInvoker } from "../lambda/composite-invoker.js";
import type { LambdaDeps } from "../lambda/deps.js";
import { createPermissionTable } from "../lambda/permissions.js";
import type { FunctionDefinition } from "../lambda/ports.js";
import { createMutableRegistry, type MutableFunctionRegistry } from "../lambda/registry.js";
import { createRemoteInvoker } from "../lambda/remote-invoker.js";
import { createWorkerInvoker } from "../lambda/worker-invoker.js";
import { storeLogSink } from "../logs/sink.js";
import type { Clock } from "../shared/clock.js";
import { systemClock } from "../shared/clock.js";
import type { ServerConfig } from "../shared/config.js";
import type { Logger } from "../shared/logger.js";
import { silentLogger } from "../shared/logger.js";
import type { Random } from "../shared/random.js";
import { cryptoRandom } from "../shared/random.js";
import { openStore } from "../store/index.js";
import type { Store } from "../store/port.js";
import { type Sweeper, startSweeper } from "../store/sweeper.js";
import { createEdgeListener } from "./app.js";
import type { ServerDeps } from "./deps.js";
import { edgeMounts } from "./mounts.js";

export interface ServerOptions {
  port?: number | undefined;
  host?: string | undefined;
  region?: string | undefined;
  accountId?: string | undefined;
  /** Token issuer base; default AWS's `https://cognito-idp.<region>.amazonaws.com`. */
  issuerBase?: string | undefined;
  outbox?: boolean | undefined;
  /** A store to use as is (tests); otherwise `databaseUrl`, `memory` or `dataDir` choose one. */
  store?: Store | undefined;
  /** PostgreSQL (`postgres://…`): the store is shared with every other server on that database. */
  databaseUrl?: string | undefined;
  memory?: boolean | undefined;
  dataDir?: string | undefined;
  clock?: Clock | undefined;
  random?: Random | undefined;
  triggers?: TriggerRunner | undefined;
  logger?: Logger | undefined;
  /** A whole Lambda runtime to use as is (tests); otherwise built from `functions` and `lambdaEndpoint`. */
  lambda?: LambdaDeps | undefined;
  /** The registry to run functions from (a local deploy adds and removes them); default: `functions`. */
  registry?: MutableFunctionRegistry | undefined;
  /** Functions the edge runs in worker threads (from `serve --functions serverless.yml`). */
  functions?: readonly FunctionDefinition[] | undefined;
  /** The Lambda Invoke API for every other function ARN (SAM local, serverless-offline, LocalStack, AWS). */
  lambdaEndpoint?: string | undefined;
  /** The DynamoDB engine to use as is (tests); default: dynalite in `<dataDir>/dynamodb/`, or in memory. */
  dynamodb?: DynamoDbEngine | undefined;
  /** How often expired sessions, codes, tokens, counters and old log events are purged (default a minute). */
  sweepIntervalMs?: number | undefined;
  /** How long log events are kept (default 7 days). */
  logRetentionMs?: number | undefined;
  /** Environment local handlers start from (PATH, HOME, credentials); never the server's live env. */
  handlerEnv?: Readonly<Record<string, string | undefined>> | undefined;
}

export interface RunningServer {
  url: string;
  port: number;
  deps: ServerDeps;
  /** The store's sweeper: `runOnce()` purges now (tests, time travel). */
  sweeper: Sweeper;
  close(): Promise<void>;
}

/** The account id of local ARNs (pools, functions, keys). */
export const DEFAULT_ACCOUNT_ID = "000000000000";

export function serverConfig(options: ServerOptions): ServerConfig {
  const region = options.region ?? "us-east-1";
  return {
    region,
    accountId: options.accountId ?? DEFAULT_ACCOUNT_ID,
    issuerBase: (options.issuerBase ?? `https://cognito-idp.${region}.amazonaws.com`).replace(/\/+$/, ""),
    outbox: options.outbox ?? true,
  };
}

export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const store =
    options.store ??
    (await openStore(
      options.databaseUrl
        ? { databaseUrl: options.databaseUrl }
        : options.memory || !options.dataDir
          ? { memory: true }
          : { dataDir: options.dataDir },
    ));
  const config = serverConfig(options);
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const random = options.random ?? cryptoRandom;
  // Known once listening: handlers reach the edge (AWS_ENDPOINT_URL) and custom senders' codes are
  // encrypted through its KMS API.
  let edgeUrl: string | undefined;
  const lambda = options.lambda ?? localLambda(options, store, clock, random, () => edgeUrl);
  // Tables live beside the store: in the data dir when it persists, in memory otherwise.
  const dynamodb =
    options.dynamodb ??
    createDynamoDbEngine(
      options.memory || !options.dataDir ? {} : { path: join(options.dataDir, "dynamodb") },
    );
  const deps: ServerDeps = {
    config,
    clock,
    random,
    store,
    triggers:
      options.triggers ??
      createCognitoRunner({
        invoker: lambda.invoker,
        permissions: lambda.permissions,
        accountId: config.accountId,
        logger,
        clock,
        region: config.region,
        edgeUrl: () => edgeUrl,
      }),
    logger,
    lambda,
    dynamodb,
  };
  const sweeper = startSweeper({
    store,
    clock,
    logger,
    intervalMs: options.sweepIntervalMs,
    logRetentionMs: options.logRetentionMs,
  });
  const server = createServer(createEdgeListener(edgeMounts(deps), deps));
  // Slow or stuck clients must not hold sockets forever.
  server.requestTimeout = 30_000;
  server.headersTimeout = 15_000;
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 9339, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port, address } = server.address() as AddressInfo;
  const host = address.includes(":") ? `[${address}]` : address;
  edgeUrl = `http://${host}:${port}`;
  let closed = false;
  return {
    url: `http://${host}:${port}`,
    port,
    deps,
    sweeper,
    async close() {
      if (closed) return;
      closed = true;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      sweeper.stop();
      if (!options.lambda) await lambda.invoker.close();
      if (!options.store) await store.close();
      if (!options.dynamodb) await dynamodb.close();
    },
  };
}

/**
 * The local runtime: `functions` run in warm worker threads with their logs in the store; with a
 * `lambdaEndpoint`, ARNs the edge does not know are invoked there. Without either, every invoke is
 * Lambda's ResourceNotFoundException.
 */
function localLambda(
  options: ServerOptions,
  store: Store,
  clock: Clock,
  random: Random,
  edgeUrl: () => string | undefined,
): LambdaDeps {
  const functions = options.registry ?? createMutableRegistry(options.functions ?? []);
  const logs = storeLogSink(store, clock);
  const local = createWorkerInvoker({
    registry: functions,
    logs,
    clock,
    random,
    edgeUrl,
    baseEnv: options.handlerEnv,
  });
  const invoker = options.lambdaEndpoint
    ? createCompositeInvoker(
        functions,
        local,
        createRemoteInvoker({
          endpoint: options.lambdaEndpoint,
          region: serverConfig(options).region,
          random,
        }),
      )
    : local;
  return { functions, invoker, logs, permissions: createPermissionTable() };
}
