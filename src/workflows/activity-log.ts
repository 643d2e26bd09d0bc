// Workflow "activity-log": a PostAuthentication trigger writes each sign-in to DynamoDB and its log.
import { AdminConfirmSignUpCommand, SignUpCommand } from "@aws-sdk/client-cognito-identity-provider";
import {
  deleteUser,
  heading,
  knownUserRecord,
  removeKnownUser,
  setTrigger,
  showLogs,
  signIn,
  type WorkflowContext,
  type WorkflowUser,
} from "./steps.js";

export interface ActivityLogResult {
  record: Record<string, unknown> | undefined;
  logLines: string[];
}

export async function activityLogWorkflow(
  ctx: WorkflowContext,
  user: WorkflowUser,
): Promise<ActivityLogResult> {
  heading(ctx, "Activity log: a PostAuthentication trigger records each sign-in in DynamoDB");
  try {
    await ctx.clients.cognito.send(
      new SignUpCommand({
        ClientId: ctx.stack.clientId,
        Username: user.username,
        Password: user.password,
        UserAttributes: [{ Name: "email", Value: user.email }],
      }),
    );
    await ctx.clients.cognito.send(
      new AdminConfirmSignUpCommand({ UserPoolId: ctx.stack.userPoolId, Username: user.username }),
    );
    ctx.ui.say(`Signed up ${user.username} and confirmed the user as an administrator.`);
    await setTrigger(ctx, "PostAuthentication", ctx.stack.functions.activityLog);
    await ctx.ui.pause();
    await signIn(ctx, user);
    const logLines = await showLogs(ctx, ctx.stack.functions.activityLog);
    const record = await knownUserRecord(ctx, user.email);
    ctx.ui.say(`The record in ${ctx.stack.tableName}:\n${JSON.stringify(record ?? null, null, 2)}`);
    await ctx.ui.pause();
    return { record, logLines };
  } finally {
    heading(ctx, "Clean up");
    await deleteUser(ctx, user.username);
    await setTrigger(ctx, "PostAuthentication", undefined);
    await removeKnownUser(ctx, user);
  }
}
