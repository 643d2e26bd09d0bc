// Scenario "migrate-user": a UserMigration trigger moves a known user into the pool on their first sign-in, who then resets the password.
import {
  ConfirmForgotPasswordCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import {
  askCode,
  askPassword,
  attachTrigger,
  cleanUpCommand,
  DEFAULT_PASSWORD,
  deleteUser,
  finish,
  heading,
  passwordPolicy,
  populateKnownUsers,
  putKnownUser,
  removeKnownUser,
  restoreStackTriggers,
  type ScenarioOptions,
  separator,
  setAsideStackTriggers,
  showLogs,
  signIn,
  userExists,
  type WorkflowContext,
} from "./steps.js";
import { MAX_ATTEMPTS } from "./ui.js";

export interface MigrateUserResult {
  username: string | undefined;
  email: string | undefined;
  resetRequired: boolean;
  /** The answer to "Do you want to send a code?". */
  codeSent: boolean;
  /** How many codes ConfirmForgotPassword refused before one was right. */
  wrongCodes: number;
  signedIn: boolean;
  logLines: string[];
  removed: boolean;
}

/** The username the question offers: not one of the known test users, so the migration adds one. */
export const MIGRATED_USER = "migrated_user";

export async function migrateUserWorkflow(
  ctx: WorkflowContext,
  options: ScenarioOptions = {},
): Promise<MigrateUserResult> {
  const started = ctx.now();
  const result: MigrateUserResult = {
    username: undefined,
    email: undefined,
    resetRequired: false,
    codeSent: false,
    wrongCodes: 0,
    signedIn: false,
    logLines: [],
    removed: false,
  };
  heading(ctx, "Welcome: migrate known users into the pool with a UserMigration trigger");
  await populateKnownUsers(ctx);
  const policy = await passwordPolicy(ctx);
  let failure: unknown;
  try {
    await setAsideStackTriggers(ctx);
    ctx.ui.say(
      "Let's add a Lambda function to handle the UserMigration trigger from Cognito.\nThis trigger happens when an unknown user signs in, and lets your function take action before Cognito\nrejects the user.",
    );
    await attachTrigger(ctx, "UserMigration", ctx.stack.functions.migrateUser);
    separator(ctx);
    ctx.ui.say(
      "Let's sign in a user to your Cognito user pool. When the username and email match an entry in the\nknown-users table, the email is automatically verified and the user is migrated to the Cognito user pool.",
    );
    const username = await ctx.ui.ask("Enter a username:", {
      fallback: options.username ?? MIGRATED_USER,
      check: async (answer) => {
        if (/\s/.test(answer)) return "A username has no spaces.";
        if (await userExists(ctx, answer))
          return `${answer} is already in the user pool (an earlier run kept it): enter another username, or remove it with\n  ${cleanUpCommand("migrate-user", { user: answer })}`;
        return undefined;
      },
    });
    ctx.ui.say(
      "This email will be used to confirm the user migration during this example: the password reset code is sent to it.",
    );
    const email = await ctx.ui.ask("Enter an email that you own:", {
      fallback: options.email ?? `${username}@example.com`,
      check: (answer) =>
        /^[^\s@]+@[^\s@]+$/.test(answer) ? undefined : `"${answer}" is not an email address.`,
    });
    ctx.ui.say(`Adding user '${username}' with email '${email}' to the known-users table...`);
    await putKnownUser(ctx, { username, email });
    result.username = username;
    result.email = email;

    ctx.ui.say(
      `Signing in to Cognito as user '${username}'. The expected result is a PasswordResetRequiredException.`,
    );
    try {
      // The old system's password: this example's handler does not check it.
      await ctx.clients.cognito.send(
        new InitiateAuthCommand({
          ClientId: ctx.stack.clientId,
          AuthFlow: "USER_PASSWORD_AUTH",
          AuthParameters: { USERNAME: username, PASSWORD: DEFAULT_PASSWORD },
        }),
      );
    } catch (error) {
      if ((error as Error).name !== "PasswordResetRequiredException") throw error;
      result.resetRequired = true;
      ctx.ui.say("\nPassword reset required for the user (PasswordResetRequiredException).");
      ctx.ui.say(
        `User '${username}' is not in the Cognito user pool but was found in the known-users table.\nUser migration is started and a password reset is required.`,
      );
    }
    if (!result.resetRequired) throw new Error(`signing in as ${username} did not ask for a password reset`);
    separator(ctx);
    result.logLines = await showLogs(ctx, ctx.stack.functions.migrateUser, started);
    separator(ctx);

    result.codeSent = await ctx.ui.confirm(
      `In order to migrate the user to Cognito, you must be able to receive a confirmation\ncode by email at ${email}. Do you want to send a code`,
      true,
    );
    if (!result.codeSent) {
      ctx.ui.say(
        `No code sent: ${username} stays in the pool with a password reset required, and cannot sign in yet.`,
      );
    } else {
      const sendCode = async () => {
        const { CodeDeliveryDetails } = await ctx.clients.cognito.send(
          new ForgotPasswordCommand({ ClientId: ctx.stack.clientId, Username: username }),
        );
        ctx.ui.say(`A confirmation code has been sent to ${CodeDeliveryDetails?.Destination ?? email}.`);
      };
      await sendCode();
      let code = await askCode(ctx, username);
      let password = await askPassword(ctx, policy);
      for (let attempt = 1; ; attempt++) {
        ctx.ui.say(`Confirming password reset for user '${username}'.`);
        try {
          await ctx.clients.cognito.send(
            new ConfirmForgotPasswordCommand({
              ClientId: ctx.stack.clientId,
              Username: username,
              ConfirmationCode: code,
              Password: password,
            }),
          );
          break;
        } catch (error) {
          const name = (error as Error).name;
          const retry =
            attempt < MAX_ATTEMPTS &&
            ["CodeMismatchException", "ExpiredCodeException", "InvalidPasswordException"].includes(name);
          if (!retry) throw error;
          if (name === "CodeMismatchException") {
            result.wrongCodes++;
            ctx.ui.say(`That is not the code Cognito sent (${name}). Check your email and try again.`);
            code = await askCode(ctx, username);
          } else if (name === "ExpiredCodeException") {
            ctx.ui.say(`That code has expired (${name}); let's send a new one.`);
            await sendCode();
            code = await askCode(ctx, username);
          } else {
            ctx.ui.say(`Cognito refused the password (${name}: ${(error as Error).message}).`);
            password = await askPassword(ctx, policy);
          }
        }
      }
      ctx.ui.say(`User '${username}' successfully confirmed and migrated.`);
      ctx.ui.say("Signing in with your username and password...");
      await signIn(ctx, username, password);
      result.signedIn = true;
    }
  } catch (error) {
    failure = error;
  }
  const { username, email } = result;
  result.removed = await finish(ctx, () => cleanUpMigrateUser(ctx, { username, email }), {
    kept: `${username ? `the user ${username}, its known-users entry and ` : ""}the pool's UserMigration trigger (the stack's other triggers set aside)`,
    command: cleanUpCommand("migrate-user", { user: username, email }),
  });
  if (failure !== undefined) throw failure;
  return result;
}

/** What `y` does at the end of the scenario; `--clean-up` does it later for a run that answered `n`. */
export async function cleanUpMigrateUser(ctx: WorkflowContext, options: ScenarioOptions): Promise<void> {
  if (options.username) await deleteUser(ctx, options.username);
  if (options.email) await removeKnownUser(ctx, options.email);
  await restoreStackTriggers(ctx, "UserMigration");
}
