// `cognito-triggers workflow <name>`: the AWS example's scenarios, against the local stack or (--aws) a deployed one.
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { type LocalStack, readStackState, upStack } from "../../local-deploy/up.js";
import {
  awsContext,
  cleanUpWorkflow,
  DEFAULT_PASSWORD,
  EXAMPLE_DIR,
  isWorkflowName,
  localContext,
  runWorkflow,
  WORKFLOWS,
} from "../../workflows/run.js";
import {
  destroyClients,
  stackInfoFromOutputs,
  type Ui,
  type WorkflowContext,
} from "../../workflows/steps.js";
import { interactiveUi, scriptedUi } from "../../workflows/ui.js";
import { type CliIo, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from "../io.js";
import { parseOrExit } from "./options.js";

export const WORKFLOW_USAGE = `Usage: cognito-triggers workflow ${WORKFLOWS.join(" | ")} [--yes] [--password p]
         [--user name] [--email address] [--clean-up] [--config serverless.yml] [--stage s]
         [--url edge [--data dir] | --data dir | --memory | --aws [--stack name]]

Runs a scenario of the AWS example "Customize Amazon Cognito authentication behavior with Lambda
functions", step for step as its interactive script: fills the known-users table with test_user_1..3,
sets the service's own triggers aside and attaches the scenario's trigger with UpdateUserPool (every
other pool setting kept), then asks you: which user to sign up (auto-confirm), a username and an email
(migrate-user), the passwords (hidden, the pool's policy stated), whether to send a code and the code
(locally the outbox's code is the default), Enter between steps. It shows the handler's 10 latest log
events of the run and the DynamoDB record, and ends with "Do you want to remove all of the AWS resources
that were created during this demo (y/n)?": y deletes the user and puts the stack's triggers back; n
keeps them, and --clean-up [--user name] [--email address] removes them later.
--yes answers every question with its default; --password answers the password questions; --user and
--email are the defaults for the user questions.
The service defaults to examples/user-pools-and-triggers. Without --url the local stack is started
for the run (data in --data, default <service>/.cognito-triggers, or --memory); with --url the
workflow uses a running "cognito-triggers up" and reads its outputs from the data dir. --aws runs the
same calls against AWS (default credential chain; outputs from CloudFormation DescribeStacks; codes
are typed in from the email).
`;

/** Where an interactive run talks (a terminal); tests pass streams. */
export interface WorkflowTerminal {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
}

export async function workflowCommand(
  argv: string[],
  io: CliIo,
  terminal: WorkflowTerminal = { input: process.stdin, output: process.stdout },
): Promise<number> {
  const [name, ...rest] = argv;
  if (name === "--help" || name === "-h") {
    io.stdout(WORKFLOW_USAGE);
    return EXIT_OK;
  }
  if (name === undefined || !isWorkflowName(name)) {
    io.stderr(`error: the workflow must be one of ${WORKFLOWS.join(", ")}\n\n${WORKFLOW_USAGE}`);
    return EXIT_USAGE;
  }
  const values = parseOrExit(
    rest,
    {
      yes: { type: "boolean", short: "y" },
      password: { type: "string" },
      user: { type: "string" },
      email: { type: "string" },
      "clean-up": { type: "boolean" },
      aws: { type: "boolean" },
      stack: { type: "string" },
      url: { type: "string" },
      data: { type: "string", short: "d" },
      memory: { type: "boolean" },
    },
    WORKFLOW_USAGE,
    io,
  );
  if (typeof values === "number") return values;

  const password = values.password as string | undefined;
  // --clean-up asks nothing.
  const ui: Ui & { close?: () => void } =
    values.yes || values["clean-up"]
      ? scriptedUi((text) => io.stdout(`${text}\n`), password ?? DEFAULT_PASSWORD)
      : interactiveUi(terminal.input, terminal.output, { password });
  const options = { username: values.user as string | undefined, email: values.email as string | undefined };
  let stack: LocalStack | undefined;
  let ctx: WorkflowContext | undefined;
  try {
    const configPath = resolve(
      io.cwd,
      (values.config as string | undefined) ?? join(EXAMPLE_DIR, "serverless.yml"),
    );
    if (!existsSync(configPath)) throw new Error(`${configPath} does not exist`);
    const serviceDir = dirname(configPath);
    const stage = values.stage as string | undefined;
    const region = (values.region as string | undefined) ?? io.env.AWS_REGION ?? "us-east-1";
    const dataDir = values.data ? resolve(io.cwd, values.data as string) : undefined;

    if (values.aws) {
      const stackName = (values.stack as string | undefined) ?? `user-pools-and-triggers-${stage ?? "dev"}`;
      const outputs = await cloudFormationOutputs(stackName, region);
      ctx = awsContext({ region, stack: stackInfoFromOutputs(outputs), ui });
    } else if (values.url) {
      const { state, stackName } = await readStackState({
        configPath,
        cwd: serviceDir,
        stage,
        region,
        dataDir,
        env: io.env,
      });
      if (!state)
        throw new Error(
          `the stack ${stackName} was never deployed with "cognito-triggers up" in this data dir`,
        );
      const outputs = Object.fromEntries(
        Object.entries(state.outputs).map(([key, output]) => [key, output.value]),
      );
      ctx = localContext({ edgeUrl: (values.url as string).replace(/\/+$/, ""), region, outputs, ui });
    } else {
      stack = await upStack({
        configPath,
        cwd: serviceDir,
        stage,
        region,
        port: 0,
        dataDir,
        memory: values.memory === true,
        env: io.env,
        log: (line) => io.stdout(`  ${line}\n`),
      });
      io.stdout(`Stack ${stack.stackName} is up on ${stack.server.url}.\n`);
      ctx = localContext({ edgeUrl: stack.server.url, region, outputs: stack.outputs, ui });
    }
    if (values["clean-up"]) {
      await cleanUpWorkflow(name, ctx, options);
      io.stdout(`\nCleaned up after workflow ${name}.\n`);
      return EXIT_OK;
    }
    const result = await runWorkflow(name, ctx, options);
    if (!result.removed && values.memory === true && stack)
      io.stdout("This run's stack was in memory (--memory): what it kept is gone once the command ends.\n");
    io.stdout(`\nWorkflow ${name} finished.\n`);
    return EXIT_OK;
  } catch (error) {
    io.stderr(`error: ${(error as Error).message}\n`);
    return EXIT_FAILURE;
  } finally {
    if (ctx) destroyClients(ctx.clients);
    ui.close?.();
    await stack?.close();
  }
}

/** The deployed stack's Outputs. The CloudFormation client is loaded only for --aws (not a dependency of local runs). */
async function cloudFormationOutputs(stackName: string, region: string): Promise<Record<string, unknown>> {
  const moduleName = "@aws-sdk/client-cloudformation";
  interface Sdk {
    CloudFormationClient: new (
      config: object,
    ) => { send(command: object): Promise<unknown>; destroy(): void };
    DescribeStacksCommand: new (input: object) => object;
  }
  let sdk: Sdk;
  try {
    sdk = (await import(moduleName)) as Sdk;
  } catch {
    throw new Error(`--aws needs ${moduleName}: npm install ${moduleName}`);
  }
  const client = new sdk.CloudFormationClient({ region });
  try {
    const result = (await client.send(new sdk.DescribeStacksCommand({ StackName: stackName }))) as {
      Stacks?: { Outputs?: { OutputKey?: string; OutputValue?: string }[] }[];
    };
    const outputs = result.Stacks?.[0]?.Outputs ?? [];
    return Object.fromEntries(outputs.map((output) => [output.OutputKey ?? "", output.OutputValue]));
  } finally {
    client.destroy();
  }
}
