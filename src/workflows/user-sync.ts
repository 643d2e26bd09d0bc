// The user-sync scenario: a confirmed sign-up fires PostConfirmation, which posts the user to the User Service.
import { ConfirmSignUpCommand, SignUpCommand } from "@aws-sdk/client-cognito-identity-provider";
import { askCode, deleteUser, heading, showLogs, type WorkflowContext } from "./steps.js";

/** A user the demo signs up (the email domain is reserved for examples, RFC 2606). */
export interface SyncedUser {
  username: string;
  email: string;
  password: string;
}

export function syncedUser(name: string, password: string): SyncedUser {
  return { username: name, email: `${name}@example.com`, password };
}

export async function userSyncWorkflow(
  ctx: WorkflowContext,
  user: SyncedUser,
  options: { keepUser?: boolean } = {},
): Promise<{ sub: string; logLines: string[] }> {
  const started = ctx.now();
  heading(
    ctx,
    `User sync: confirming ${user.username} fires PostConfirmation, which posts to the User Service`,
  );
  const { UserSub } = await ctx.clients.cognito.send(
    new SignUpCommand({
      ClientId: ctx.stack.clientId,
      Username: user.username,
      Password: user.password,
      UserAttributes: [
        { Name: "email", Value: user.email },
        { Name: "name", Value: user.username },
      ],
    }),
  );
  ctx.ui.say(`Signed up ${user.username} (sub ${UserSub}); a confirmation code was sent.`);
  const code = await askCode(ctx, user.username);
  await ctx.clients.cognito.send(
    new ConfirmSignUpCommand({
      ClientId: ctx.stack.clientId,
      Username: user.username,
      ConfirmationCode: code,
    }),
  );
  ctx.ui.say(`Confirmed ${user.username} with code ${code}.`);
  const logLines = await showLogs(ctx, ctx.stack.functions.userSync, started);
  if (!options.keepUser) await deleteUser(ctx, user.username);
  return { sub: UserSub ?? "", logLines };
}
