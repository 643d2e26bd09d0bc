// Runs a named workflow against the local edge or AWS: the same steps, only the endpoint and the code source differ.
import { fileURLToPath } from "node:url";
import { activityLogWorkflow } from "./activity-log.js";
import { autoConfirmWorkflow } from "./auto-confirm.js";
import { migrateUserWorkflow } from "./migrate-user.js";
import {
  createClients,
  outboxCodeReader,
  type StackInfo,
  stackInfoFromOutputs,
  type Ui,
  type WorkflowContext,
  type WorkflowUser,
} from "./steps.js";

export const WORKFLOWS = ["auto-confirm", "migrate-user", "activity-log"] as const;
export type WorkflowName = (typeof WORKFLOWS)[number];

/** The example service; `src/workflows` and `dist/workflows` are both two levels below the package root. */
export const EXAMPLE_DIR = fileURLToPath(new URL("../../examples/user-pools-and-triggers/", import.meta.url));

export const DEFAULT_PASSWORD = "Example-Passw0rd";

export function isWorkflowName(name: string): name is WorkflowName {
  return (WORKFLOWS as readonly string[]).includes(name);
}

/** A workflow's default user: one name per workflow, so runs never collide with each other. */
export function defaultUser(name: string, password: string): WorkflowUser {
  return { username: `${name}-user`, email: `${name}-user@example.com`, password };
}

export function localContext(options: {
  edgeUrl: string;
  region: string;
  outputs: Readonly<Record<string, unknown>>;
  ui: Ui;
}): WorkflowContext {
  const stack = stackInfoFromOutputs(options.outputs);
  const readOutbox = outboxCodeReader(options.edgeUrl, stack.userPoolId);
  return {
    clients: createClients({ region: options.region, endpoint: options.edgeUrl }),
    stack,
    ui: options.ui,
    readCode: async (username, purpose) => {
      const code = await readOutbox(username);
      options.ui.say(`Read the ${purpose} code ${code} from the local outbox (on AWS it arrives by email).`);
      return code;
    },
    // The edge writes a handler's logs before Cognito answers: nothing to wait for.
    sleep: async () => {},
  };
}

/** On AWS: default credential chain and endpoints; codes are typed in by the person who got the email. */
export function awsContext(options: { region: string; stack: StackInfo; ui: Ui }): WorkflowContext {
  return {
    clients: createClients({ region: options.region }),
    stack: options.stack,
    ui: options.ui,
    readCode: (username, purpose) => options.ui.ask(`The ${purpose} code sent to ${username}:`, ""),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
}

export async function runWorkflow(
  name: WorkflowName,
  ctx: WorkflowContext,
  user: WorkflowUser,
): Promise<unknown> {
  switch (name) {
    case "auto-confirm":
      return autoConfirmWorkflow(ctx, user);
    case "migrate-user":
      return migrateUserWorkflow(ctx, user);
    case "activity-log":
      return activityLogWorkflow(ctx, user);
  }
}
