// Scenario "auto-confirm": a PreSignUp trigger confirms users listed in the known-users table (the AWS example's first scenario).
import { SignUpCommand } from "@aws-sdk/client-cognito-identity-provider";
import {
  askPassword,
  attachTrigger,
  cleanUpCommand,
  finishUserScenario,
  heading,
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
import { MAX_ATTEMPTS } from "./ui.js";

export interface AutoConfirmResult {
  /** The known user chosen and signed up (undefined when the run stopped before). */
  username: string | undefined;
  userConfirmed: boolean;
  signedIn: boolean;
  logLines: string[];
  /** The answer to the closing question: whether the user and the trigger were removed. */
  removed: boolean;
}

export async function autoConfirmWorkflow(
  ctx: WorkflowContext,
  options: ScenarioOptions = {},
): Promise<AutoConfirmResult> {
  const started = ctx.now();
  const result: AutoConfirmResult = {
    username: undefined,
    userConfirmed: false,
    signedIn: false,
    logLines: [],
    removed: false,
  };
  heading(ctx, "Welcome: automatically confirm known users with a PreSignUp trigger");
  const known = await populateKnownUsers(ctx, options);
  const policy = await passwordPolicy(ctx);
  let failure: unknown;
  try {
    await setAsideStackTriggers(ctx);
    ctx.ui.say(
      "Let's add a Lambda function to handle the PreSignUp trigger from Cognito.\nThis trigger happens when a user signs up, and lets your function take action before the main Cognito\nsign up processing occurs.",
    );
    await attachTrigger(ctx, "PreSignUp", ctx.stack.functions.autoConfirm);
    separator(ctx);
    ctx.ui.say(
      "Let's sign up a user to your Cognito user pool. When the user's email matches an email in the\nknown-users table, it is automatically verified and the user is confirmed.",
    );
    let fallback = known.fallback;
    let password: string | undefined;
    for (let attempt = 1; result.username === undefined; attempt++) {
      const index = await ctx.ui.choose(
        "Which user do you want to use?",
        known.users.map((user) => user.username),
        fallback,
      );
      const user = known.users[index]!;
      password ??= await askPassword(ctx, policy);
      ctx.ui.say(`Signing up user '${user.username}' with email '${user.email}' to Cognito.`);
      try {
        const { UserConfirmed } = await ctx.clients.cognito.send(
          new SignUpCommand({
            ClientId: ctx.stack.clientId,
            Username: user.username,
            Password: password,
            UserAttributes: [{ Name: "email", Value: user.email }],
          }),
        );
        result.username = user.username;
        result.userConfirmed = UserConfirmed === true;
      } catch (error) {
        // Left in the pool by an earlier run that kept its resources: another user, or that run's clean-up.
        if ((error as Error).name !== "UsernameExistsException" || attempt >= MAX_ATTEMPTS) throw error;
        ctx.ui.say(
          `${user.username} is already in the user pool (an earlier run kept it): choose another user, or remove it with\n  ${cleanUpCommand("auto-confirm", { user: user.username })}`,
        );
        fallback = (index + 1) % known.users.length;
      }
    }
    ctx.ui.say(`User ${result.username} signed up, confirmed = ${result.userConfirmed}.`);
    separator(ctx);
    result.logLines = await showLogs(ctx, ctx.stack.functions.autoConfirm, started);
    separator(ctx);
    await ctx.ui.pause();
    ctx.ui.say(`Let's sign in as ${result.username}...`);
    await signIn(ctx, result.username!, password!);
    result.signedIn = true;
  } catch (error) {
    failure = error;
  }
  const username = result.username;
  result.removed = await finishUserScenario(ctx, "auto-confirm", "PreSignUp", username);
  if (failure !== undefined) throw failure;
  return result;
}

/** What `y` does at the end of the scenario; `--clean-up` does it later for a run that answered `n`. */
export function cleanUpAutoConfirm(ctx: WorkflowContext, options: ScenarioOptions): Promise<void> {
  return removeUserAndTrigger(ctx, options.username, "PreSignUp");
}
