// Scenario "activity-log": a PostAuthentication trigger writes each sign-in to its log and to the known-users table.
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import {
  askPassword,
  attachTrigger,
  finishUserScenario,
  heading,
  knownUserRecord,
  passwordPolicy,
  populateKnownUsers,
  removeUserAndTrigger,
  type ScenarioOptions,
  separator,
  setAsideStackTriggers,
  showLogs,
  signIn,
  type WorkflowContext,
} from "./steps.js";

export interface ActivityLogResult {
  username: string | undefined;
  /** The user's known-users record after the sign-in, with the LastLogin the handler wrote. */
  record: Record<string, unknown> | undefined;
  logLines: string[];
  removed: boolean;
}

export async function activityLogWorkflow(
  ctx: WorkflowContext,
  options: ScenarioOptions = {},
): Promise<ActivityLogResult> {
  const started = ctx.now();
  const result: ActivityLogResult = { username: undefined, record: undefined, logLines: [], removed: false };
  heading(ctx, "Welcome: write custom activity after sign-in with a PostAuthentication trigger");
  const known = await populateKnownUsers(ctx, options);
  const user = known.users[known.fallback]!;
  const policy = await passwordPolicy(ctx);
  let failure: unknown;
  try {
    await setAsideStackTriggers(ctx);
    ctx.ui.say(
      "To facilitate this example, let's add a user to the user pool using administrator privileges.",
    );
    ctx.ui.say(`Adding known user ${user.username} to the user pool.`);
    try {
      await ctx.clients.cognito.send(
        new AdminCreateUserCommand({
          UserPoolId: ctx.stack.userPoolId,
          Username: user.username,
          MessageAction: "SUPPRESS",
          UserAttributes: [
            { Name: "email", Value: user.email },
            { Name: "email_verified", Value: "true" },
          ],
        }),
      );
    } catch (error) {
      if ((error as Error).name !== "UsernameExistsException") throw error;
      ctx.ui.say(`${user.username} is already in the user pool (an earlier run kept it); using it.`);
    }
    result.username = user.username;
    const password = await askPassword(ctx, policy);
    ctx.ui.say(`Setting password for user '${user.username}'.`);
    await ctx.clients.cognito.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: ctx.stack.userPoolId,
        Username: user.username,
        Password: password,
        Permanent: true,
      }),
    );
    separator(ctx);
    ctx.ui.say(
      "Let's add a Lambda function to handle the PostAuthentication trigger from Cognito.\nThis trigger happens after a user is authenticated, and lets your function take action, such as logging\nthe outcome.",
    );
    await attachTrigger(ctx, "PostAuthentication", ctx.stack.functions.activityLog);
    separator(ctx);
    ctx.ui.say(
      `Now we'll sign in user ${user.username} and check the results in the logs and the DynamoDB table.`,
    );
    await ctx.ui.pause("Press Enter when you're ready.");
    await signIn(ctx, user.username, password);
    ctx.ui.say("The PostAuthentication Lambda handler writes custom information to CloudWatch Logs.");
    result.logLines = await showLogs(ctx, ctx.stack.functions.activityLog, started);
    separator(ctx);
    ctx.ui.say("The PostAuthentication handler also writes login data to the DynamoDB table.");
    await ctx.ui.pause();
    result.record = await knownUserRecord(ctx, user.email);
    ctx.ui.say(
      `The last login info for the user in the known-users table is:\n  ${JSON.stringify(result.record?.LastLogin ?? null)}`,
    );
  } catch (error) {
    failure = error;
  }
  const { username } = result;
  result.removed = await finishUserScenario(ctx, "activity-log", "PostAuthentication", username);
  if (failure !== undefined) throw failure;
  return result;
}

/** What `y` does at the end of the scenario; `--clean-up` does it later for a run that answered `n`. */
export function cleanUpActivityLog(ctx: WorkflowContext, options: ScenarioOptions): Promise<void> {
  return removeUserAndTrigger(ctx, options.username, "PostAuthentication");
}
