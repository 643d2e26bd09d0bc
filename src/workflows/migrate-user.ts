// Workflow "migrate-user": a UserMigration trigger creates a known user on first sign-in, who then resets the password.
import {
  ConfirmForgotPasswordCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import {
  addKnownUser,
  deleteUser,
  heading,
  removeKnownUser,
  setTrigger,
  showLogs,
  signIn,
  type WorkflowContext,
  type WorkflowUser,
} from "./steps.js";

export interface MigrateUserResult {
  resetRequired: boolean;
  signedIn: boolean;
  logLines: string[];
}

export async function migrateUserWorkflow(
  ctx: WorkflowContext,
  user: WorkflowUser,
): Promise<MigrateUserResult> {
  heading(ctx, "Migrate known users: a UserMigration trigger creates the user on the first sign-in");
  await addKnownUser(ctx, user);
  await setTrigger(ctx, "UserMigration", ctx.stack.functions.migrateUser);
  try {
    await ctx.ui.pause();
    let resetRequired = false;
    try {
      await ctx.clients.cognito.send(
        new InitiateAuthCommand({
          ClientId: ctx.stack.clientId,
          AuthFlow: "USER_PASSWORD_AUTH",
          AuthParameters: { USERNAME: user.username, PASSWORD: user.password },
        }),
      );
    } catch (error) {
      if ((error as Error).name !== "PasswordResetRequiredException") throw error;
      resetRequired = true;
      ctx.ui.say(`${user.username} was migrated into the pool; Cognito requires a password reset first.`);
    }
    if (!resetRequired) throw new Error(`signing in as ${user.username} did not ask for a password reset`);
    const { CodeDeliveryDetails } = await ctx.clients.cognito.send(
      new ForgotPasswordCommand({ ClientId: ctx.stack.clientId, Username: user.username }),
    );
    ctx.ui.say(
      `A reset code went by ${CodeDeliveryDetails?.DeliveryMedium ?? "EMAIL"} to ${CodeDeliveryDetails?.Destination ?? user.email}.`,
    );
    const code = await ctx.readCode(user.username, "password reset");
    await ctx.clients.cognito.send(
      new ConfirmForgotPasswordCommand({
        ClientId: ctx.stack.clientId,
        Username: user.username,
        ConfirmationCode: code,
        Password: user.password,
      }),
    );
    ctx.ui.say(`Reset the password of ${user.username} with code ${code}.`);
    await ctx.ui.pause();
    await signIn(ctx, user);
    const logLines = await showLogs(ctx, ctx.stack.functions.migrateUser);
    await ctx.ui.pause();
    return { resetRequired, signedIn: true, logLines };
  } finally {
    heading(ctx, "Clean up");
    await deleteUser(ctx, user.username);
    await setTrigger(ctx, "UserMigration", undefined);
    await removeKnownUser(ctx, user);
  }
}
