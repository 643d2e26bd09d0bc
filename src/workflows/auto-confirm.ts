// Workflow "auto-confirm": a PreSignUp trigger confirms users listed in the known-users table (the AWS example's first scenario).
import { SignUpCommand } from "@aws-sdk/client-cognito-identity-provider";
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

export interface AutoConfirmResult {
  userConfirmed: boolean;
  signedIn: boolean;
  logLines: string[];
}

export async function autoConfirmWorkflow(
  ctx: WorkflowContext,
  user: WorkflowUser,
): Promise<AutoConfirmResult> {
  heading(ctx, "Auto-confirm known users: a PreSignUp trigger looks the email up in DynamoDB");
  await addKnownUser(ctx, user);
  await setTrigger(ctx, "PreSignUp", ctx.stack.functions.autoConfirm);
  try {
    await ctx.ui.pause();
    const { UserConfirmed } = await ctx.clients.cognito.send(
      new SignUpCommand({
        ClientId: ctx.stack.clientId,
        Username: user.username,
        Password: user.password,
        UserAttributes: [{ Name: "email", Value: user.email }],
      }),
    );
    ctx.ui.say(
      UserConfirmed
        ? `Signed up ${user.username}: the trigger confirmed the user, no code needed.`
        : `Signed up ${user.username}, but the user is not confirmed.`,
    );
    await ctx.ui.pause();
    await signIn(ctx, user);
    const logLines = await showLogs(ctx, ctx.stack.functions.autoConfirm);
    await ctx.ui.pause();
    return { userConfirmed: UserConfirmed === true, signedIn: true, logLines };
  } finally {
    heading(ctx, "Clean up");
    await deleteUser(ctx, user.username);
    await setTrigger(ctx, "PreSignUp", undefined);
    await removeKnownUser(ctx, user);
  }
}
