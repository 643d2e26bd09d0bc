// `upStack`: compile serverless.yml, start the local edge and apply the template to it; redeploy, down, close.
import { resolve } from "node:path";
import { compile } from "../compiler/compile.js";
import { loadService } from "../compiler/load-service.js";
import { DEFAULT_ACCOUNT_ID, type RunningServer, startServer } from "../edge/create-server.js";
import { createMutableRegistry } from "../lambda/registry.js";
import { type Clock, systemClock } from "../shared/clock.js";
import type { Logger } from "../shared/logger.js";
import { silentLogger } from "../shared/logger.js";
import {
  type ApplySummary,
  applyTemplate,
  type CfnTemplate,
  destroyStack,
  type StackContext,
} from "./apply-template.js";
import { RESOURCE_HANDLERS } from "./resources/index.js";
import { fileStateStore, memoryStateStore, type StackState, type StateStore } from "./state.js";
import type { ResourceHandlers } from "./types.js";

export interface UpOptions {
  configPath?: string | undefined;
  cwd: string;
  stage?: string | undefined;
  region?: string | undefined;
  port?: number | undefined;
  host?: string | undefined;
  /** Default `<cwd>/.cognito-triggers`, as `serve`. */
  dataDir?: string | undefined;
  memory?: boolean | undefined;
  /** PostgreSQL for the Cognito store; the stack's state stays in the data dir (or memory). */
  databaseUrl?: string | undefined;
  env: Readonly<Record<string, string | undefined>>;
  log?: ((line: string) => void) | undefined;
  /** Tests inject these; the product uses the defaults. */
  clock?: Clock | undefined;
  logger?: Logger | undefined;
  handlers?: ResourceHandlers | undefined;
}

export interface LocalStack {
  server: RunningServer;
  stackName: string;
  /** The directory of serverless.yml (what `--watch` watches). */
  serviceDir: string;
  outputs: Record<string, unknown>;
  /** The last deploy's summary (created, updated, deleted, skipped, warnings). */
  summary: ApplySummary;
  /** The full saved state: resources with physical ids and attributes, outputs with export names. */
  state(): StackState;
  /** Compiles serverless.yml again and applies it as a stack update. */
  redeploy(): Promise<void>;
  /** Deletes every resource in reverse order and removes the saved state; the edge keeps running. */
  down(): Promise<void>;
  close(): Promise<void>;
}

/** Where the template says function code is; local functions run from the service directory. */
const LOCAL_ARTIFACT_DIRECTORY = "serverless/local";

interface Compiled {
  template: CfnTemplate;
  stackName: string;
  serviceDir: string;
  region: string;
}

async function compileService(options: UpOptions, clock: Clock): Promise<Compiled> {
  const loaded = await loadService({
    configPath: options.configPath,
    cwd: options.cwd,
    stage: options.stage,
    region: options.region,
    env: options.env,
  });
  const { template, model } = compile(
    { config: loaded.config, stage: loaded.stage, region: loaded.region, locate: loaded.locate },
    // A fixed artifact directory: the clock's would change every function's Code on each redeploy.
    { clock, artifactHashes: () => "", artifactDirectoryName: LOCAL_ARTIFACT_DIRECTORY },
  );
  return {
    template: template as unknown as CfnTemplate,
    stackName: `${model.service}-${model.stage}`,
    serviceDir: loaded.serviceDir,
    region: loaded.region,
  };
}

const dataDirOf = (options: UpOptions): string | undefined =>
  options.memory ? undefined : resolve(options.cwd, options.dataDir ?? ".cognito-triggers");

/** What local handlers inherit from the shell: enough to run, never the shell's credentials. */
function handlerEnv(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of ["PATH", "HOME", "TMPDIR", "LANG", "TZ", "NODE_EXTRA_CA_CERTS"]) {
    const value = env[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}

export async function upStack(options: UpOptions): Promise<LocalStack> {
  const clock = options.clock ?? systemClock;
  const log = options.log ?? (() => {});
  const handlers = options.handlers ?? RESOURCE_HANDLERS;
  const first = await compileService(options, clock);
  const dataDir = dataDirOf(options);
  const store: StateStore = dataDir ? fileStateStore(dataDir, first.stackName) : memoryStateStore();
  const server = await startServer({
    port: options.port ?? 9339,
    host: options.host ?? "127.0.0.1",
    region: first.region,
    dataDir,
    memory: Boolean(options.memory),
    databaseUrl: options.databaseUrl,
    registry: createMutableRegistry(),
    handlerEnv: handlerEnv(options.env),
    clock,
    logger: options.logger ?? silentLogger,
  });
  const ctxFor = (compiled: Compiled): StackContext => ({
    server,
    stackName: compiled.stackName,
    region: compiled.region,
    accountId: DEFAULT_ACCOUNT_ID,
    serviceDir: compiled.serviceDir,
    warn: (message) => log(`warning: ${message}`),
  });

  let state: StackState | undefined;
  let summary: ApplySummary;
  const deploy = async (compiled: Compiled) => {
    if (compiled.stackName !== first.stackName)
      throw new Error(
        `the stack name changed from ${first.stackName} to ${compiled.stackName}; run down first`,
      );
    const result = await applyTemplate(compiled.template, {
      handlers,
      ctx: ctxFor(compiled),
      state: state ?? (await store.load()),
      persist: async (next) => {
        state = next;
        await store.save(next);
      },
    });
    state = result.state;
    summary = result.summary;
  };
  try {
    await deploy(first);
  } catch (error) {
    await server.close();
    throw error;
  }

  // Deploys never overlap: a --watch change during a deploy waits for it.
  let queue: Promise<void> = Promise.resolve();
  const serialized = (work: () => Promise<void>): Promise<void> => {
    const next = queue.then(work);
    queue = next.catch(() => {});
    return next;
  };
  const stack: LocalStack = {
    server,
    stackName: first.stackName,
    serviceDir: first.serviceDir,
    get outputs() {
      return outputValues(state);
    },
    get summary() {
      return summary;
    },
    state: () =>
      structuredClone(
        state ?? { stackName: first.stackName, region: first.region, resources: {}, outputs: {} },
      ),
    redeploy: () => serialized(async () => deploy(await compileService(options, clock))),
    down: () =>
      serialized(async () => {
        const current = state ?? (await store.load());
        if (current) {
          await destroyStack(current, {
            handlers,
            ctx: ctxFor(first),
            persist: async (next) => {
              state = next;
              await store.save(next);
            },
          });
        }
        state = undefined;
        await store.remove();
      }),
    close: () => serialized(() => server.close()),
  };
  return stack;
}

export function outputValues(state: StackState | undefined): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(state?.outputs ?? {}).map(([name, output]) => [name, output.value]),
  );
}

export interface StackLocation {
  configPath?: string | undefined;
  cwd: string;
  stage?: string | undefined;
  region?: string | undefined;
  dataDir?: string | undefined;
  env: Readonly<Record<string, string | undefined>>;
}

/** The saved state of the service's stack in a data dir (`outputs`), or undefined when it was never deployed. */
export async function readStackState(
  location: StackLocation,
): Promise<{ stackName: string; state: StackState | undefined }> {
  const compiled = await compileService(location, systemClock);
  const dataDir = dataDirOf(location) as string;
  return { stackName: compiled.stackName, state: await fileStateStore(dataDir, compiled.stackName).load() };
}

/** `down` from a data dir: starts the edge on a free port, deletes the stack, stops. */
export async function downStack(
  location: StackLocation & {
    log?: ((line: string) => void) | undefined;
    handlers?: ResourceHandlers | undefined;
  },
): Promise<{ stackName: string; deleted: string[] }> {
  const compiled = await compileService(location, systemClock);
  const dataDir = dataDirOf(location) as string;
  const store = fileStateStore(dataDir, compiled.stackName);
  const saved = await store.load();
  if (!saved) return { stackName: compiled.stackName, deleted: [] };
  const server = await startServer({
    port: 0,
    region: compiled.region,
    dataDir,
    registry: createMutableRegistry(),
    handlerEnv: handlerEnv(location.env),
  });
  try {
    const { deleted } = await destroyStack(saved, {
      handlers: location.handlers ?? RESOURCE_HANDLERS,
      ctx: {
        server,
        stackName: compiled.stackName,
        region: compiled.region,
        accountId: DEFAULT_ACCOUNT_ID,
        serviceDir: compiled.serviceDir,
        warn: (message) => location.log?.(`warning: ${message}`),
      },
      persist: (next) => store.save(next),
    });
    await store.remove();
    return { stackName: compiled.stackName, deleted };
  } finally {
    await server.close();
  }
}
