// Runs a named workflow against the local edge or AWS: the same steps, only the endpoint and where codes come from differ.
import { fileURLToPath } from "node:url";
import { systemClock } from "../shared/clock.js";
import { activityLogWorkflow, cleanUpActivityLog } from "./activity-log.js";
import { autoConfirmWorkflow, cleanUpAutoConfirm } from "./auto-confirm.js";
import { cleanUpMigrateUser, migrateUserWorkflow } from "./migrate-user.js";
import {
  createClients,
  outboxCodeReader,
  type ScenarioOptions,
  type StackInfo,
  stackInfoFromOutputs,
  type Ui,
  type WorkflowContext,
} from "./steps.js";

export { DEFAULT_PASSWORD } from "./steps.js";

export const WORKFLOWS = ["auto-confirm", "migrate-user", "activity-log"] as const;
export type WorkflowName = (typeof WORKFLOWS)[number];

/** The example service; `src/workflows` and `dist/workflows` are both two levels below the package root. */
export const EXAMPLE_DIR = fileURLToPath(new URL("../../examples/user-pools-and-triggers/", import.meta.url));

export function isWorkflowName(name: string): name is WorkflowName {
  return (WORKFLOWS as readonly string[]).includes(name);
}

export function localContext(options: {
  edgeUrl: string;
  region: string;
  outputs: Readonly<Record<string, unknown>>;
  ui: Ui;
  now?: () => number;
}): WorkflowContext {
  const stack = stackInfoFromOutputs(options.outputs);
  const readOutbox = outboxCodeReader(options.edgeUrl, stack.userPoolId);
  return {
    clients: createClients({ region: options.region, endpoint: options.edgeUrl }),
    stack,
    ui: options.ui,
    suggestCode: async (username) => {
      const code = await readOutbox(username);
      return code === undefined
        ? undefined
        : { code, source: `the local edge's outbox (cognito-triggers outbox --user ${username})` };
    },
    now: options.now ?? (() => systemClock.now()),
    // The edge writes a handler's logs before Cognito answers: nothing to wait for.
    logSettleMs: 0,
    sleep: async () => {},
  };
}

/** On AWS: default credential chain and endpoints; codes are typed in by the person who got the email. */
export function awsContext(options: { region: string; stack: StackInfo; ui: Ui }): WorkflowContext {
  return {
    clients: createClients({ region: options.region }),
    stack: options.stack,
    ui: options.ui,
    suggestCode: async () => undefined,
    // A scenario's log window opens a few seconds early: this machine's clock may be behind AWS's.
    now: () => systemClock.now() - 5_000,
    logSettleMs: 10_000,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
}

export type WorkflowResult = { removed: boolean } & Record<string, unknown>;

export async function runWorkflow(
  name: WorkflowName,
  ctx: WorkflowContext,
  options: ScenarioOptions = {},
): Promise<WorkflowResult> {
  switch (name) {
    case "auto-confirm":
      return { ...(await autoConfirmWorkflow(ctx, options)) };
    case "migrate-user":
      return { ...(await migrateUserWorkflow(ctx, options)) };
    case "activity-log":
      return { ...(await activityLogWorkflow(ctx, options)) };
  }
}

/** `--clean-up`: deletes the user a run kept (`--user`), and puts the stack's triggers back. */
export async function cleanUpWorkflow(
  name: WorkflowName,
  ctx: WorkflowContext,
  options: ScenarioOptions,
): Promise<void> {
  switch (name) {
    case "auto-confirm":
      return cleanUpAutoConfirm(ctx, options);
    case "migrate-user":
      return cleanUpMigrateUser(ctx, options);
    case "activity-log":
      return cleanUpActivityLog(ctx, options);
  }
}
