// The main job (`npm start`): the example stack on a temporary data dir, every scenario answered with its defaults (--yes), the user sync with a failure and its replay.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { upStack } from "../local-deploy/up.js";
import { replayFailedSyncs } from "./replay.js";
import { DEFAULT_PASSWORD, EXAMPLE_DIR, localContext, runWorkflow, WORKFLOWS } from "./run.js";
import { destroyClients, heading } from "./steps.js";
import { scriptedUi } from "./ui.js";
import { syncedUser, userSyncWorkflow } from "./user-sync.js";

/** The example's User Service (`user-service/server.mjs`), as the demo drives it. */
export interface UserService {
  url: string;
  failNext(count: number): void;
  users(): { cognitoSub: string; email: string }[];
  close(): Promise<void>;
}

export async function startExampleUserService(dataFile: string, apiKey?: string): Promise<UserService> {
  const module = (await import(pathToFileURL(join(EXAMPLE_DIR, "user-service", "server.mjs")).href)) as {
    startUserService(options: {
      port: number;
      dataFile: string;
      apiKey?: string | undefined;
    }): Promise<UserService>;
  };
  return module.startUserService({ port: 0, dataFile, apiKey });
}

export interface DemoOptions {
  env: Readonly<Record<string, string | undefined>>;
  say(text: string): void;
}

export async function runDemo(options: DemoOptions): Promise<void> {
  const { say } = options;
  const dir = await mkdtemp(join(tmpdir(), "cognito-triggers-demo-"));
  const service = await startExampleUserService(join(dir, "user-service.json"));
  say(`User Service listening on ${service.url} (data in ${dir}).`);
  try {
    const stack = await upStack({
      cwd: EXAMPLE_DIR,
      dataDir: join(dir, "data"),
      port: 0,
      env: { ...options.env, USER_SERVICE_URL: service.url, USER_SERVICE_API_KEY: "" },
      log: (line) => say(`  ${line}`),
    });
    try {
      say(`Stack ${stack.stackName} is up on ${stack.server.url}.`);
      const ui = scriptedUi(say, DEFAULT_PASSWORD);
      const ctx = localContext({
        edgeUrl: stack.server.url,
        region: stack.server.deps.config.region,
        outputs: stack.outputs,
        ui,
      });
      try {
        // Each scenario sets the service's triggers aside while it runs and puts them back at its clean-up
        // (answered "y" here), so each section shows only what its scenario caused.
        for (const name of WORKFLOWS) await runWorkflow(name, ctx);

        const synced = await userSyncWorkflow(ctx, syncedUser("user-sync-user", DEFAULT_PASSWORD));
        say(
          `The User Service has ${synced.sub}: ${service.users().some((u) => u.cognitoSub === synced.sub)}.`,
        );

        heading(ctx, "A failed sync: the User Service answers 500 to every attempt");
        service.failNext(1_000);
        const failed = await userSyncWorkflow(ctx, syncedUser("user-sync-outage-user", DEFAULT_PASSWORD));
        service.failNext(0);
        say(
          `The confirmation still succeeded; the User Service has ${failed.sub}: ${service.users().some((u) => u.cognitoSub === failed.sub)}.`,
        );

        heading(ctx, "Replay the failed syncs (npm run replay-failed-syncs)");
        const replay = await replayFailedSyncs({
          dynamodb: ctx.clients.dynamodb,
          tableName: ctx.stack.failedSyncsTableName,
          userServiceUrl: service.url,
          log: say,
        });
        const delivered = service.users().some((u) => u.cognitoSub === failed.sub);
        say(`Replayed ${replay.replayed.length}; the User Service now has ${failed.sub}: ${delivered}.`);
        if (!delivered) throw new Error("the replayed sync did not reach the User Service");
      } finally {
        destroyClients(ctx.clients);
      }
      heading(ctx, "Tear down");
      await stack.down();
      say(`Deleted the stack ${stack.stackName}.`);
    } finally {
      await stack.close();
    }
  } finally {
    await service.close();
    await rm(dir, { recursive: true, force: true });
  }
}
