// ForgotPassword, ConfirmForgotPassword, AdminSetUserPassword and AdminResetUserPassword through the SDK.
import {
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminResetUserPasswordCommand,
  AdminSetUserPasswordCommand,
  ConfirmForgotPasswordCommand,
  ForgotPasswordCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { beforeEach, describe, expect, it } from "vitest";
import { CognitoError } from "../../../src/cognito/errors.js";
import { errorOf, useTestServer } from "../../helpers/server.js";
import {
  ALL_TRIGGERS,
  createClient,
  createPool,
  lastCode,
  outbox,
  PASSWORD,
  ScriptedTriggers,
  wrong,
} from "./signup-helpers.js";

const triggers = new ScriptedTriggers();
const get = useTestServer({ triggers });

beforeEach(() => triggers.reset());

const NEW_PASSWORD = "N3w-Passw0rd";
const attrs = (map: Record<string, string>) => Object.entries(map).map(([Name, Value]) => ({ Name, Value }));

interface Setup {
  poolId: string;
  clientId: string;
  /** An admin-flow client, to prove which password works. */
  adminClientId: string;
}

async function setup(
  pool: Parameters<typeof createPool>[1] = {},
  client: Parameters<typeof createClient>[2] = {},
): Promise<Setup> {
  const { cognito } = get();
  const poolId = await createPool(cognito, {
    AutoVerifiedAttributes: ["email"],
    LambdaConfig: ALL_TRIGGERS,
    ...pool,
  });
  const { clientId } = await createClient(cognito, poolId, client);
  const admin = await createClient(cognito, poolId, {
    ExplicitAuthFlows: ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
  });
  return { poolId, clientId, adminClientId: admin.clientId };
}

/** A CONFIRMED user with a verified email (and optionally a verified phone). */
async function confirmedUser(s: Setup, username: string, extra: Record<string, string> = {}): Promise<void> {
  const { cognito } = get();
  await cognito.send(
    new AdminCreateUserCommand({
      UserPoolId: s.poolId,
      Username: username,
      UserAttributes: attrs({ email: `${username}@example.com`, email_verified: "true", ...extra }),
      MessageAction: "SUPPRESS",
    }),
  );
  await cognito.send(
    new AdminSetUserPasswordCommand({
      UserPoolId: s.poolId,
      Username: username,
      Password: PASSWORD,
      Permanent: true,
    }),
  );
}

/** What signing in with `password` gives: tokens, a challenge, or the error. */
async function signIn(s: Setup, username: string, password: string): Promise<string> {
  try {
    const out = await get().cognito.send(
      new AdminInitiateAuthCommand({
        UserPoolId: s.poolId,
        ClientId: s.adminClientId,
        AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: username, PASSWORD: password },
      }),
    );
    if (out.AuthenticationResult?.AccessToken) return "tokens";
    return `challenge ${out.ChallengeName}`;
  } catch (error) {
    return (error as Error).name;
  }
}

async function statusOf(poolId: string, username: string): Promise<string | undefined> {
  return (await get().cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username })))
    .UserStatus;
}

describe("ForgotPassword and ConfirmForgotPassword", () => {
  it("sends a reset code to the verified email, then sets the new password", async () => {
    const { cognito, url } = get();
    const s = await setup();
    await confirmedUser(s, "alice");
    const out = await cognito.send(new ForgotPasswordCommand({ ClientId: s.clientId, Username: "alice" }));
    expect(out.CodeDeliveryDetails).toEqual({
      Destination: "a***@e***",
      DeliveryMedium: "EMAIL",
      AttributeName: "email",
    });
    const [message] = await outbox(url, s.poolId, "alice");
    expect(message).toMatchObject({
      reason: "ForgotPassword",
      medium: "EMAIL",
      destination: "alice@example.com",
    });
    // Until the reset is confirmed the old password still works.
    expect(await signIn(s, "alice", PASSWORD)).toBe("tokens");

    await cognito.send(
      new ConfirmForgotPasswordCommand({
        ClientId: s.clientId,
        Username: "alice",
        ConfirmationCode: message?.code ?? "",
        Password: NEW_PASSWORD,
        ClientMetadata: { app: "web" },
      }),
    );
    expect(await signIn(s, "alice", NEW_PASSWORD)).toBe("tokens");
    expect(await signIn(s, "alice", PASSWORD)).toBe("NotAuthorizedException");
    const [event] = triggers.events(s.poolId, "PostConfirmation_ConfirmForgotPassword");
    expect(event).toMatchObject({
      triggerSource: "PostConfirmation_ConfirmForgotPassword",
      userName: "alice",
      callerContext: { clientId: s.clientId },
      request: {
        userAttributes: { email: "alice@example.com", "cognito:user_status": "CONFIRMED" },
        clientMetadata: { app: "web" },
      },
    });
    // Single use.
    expect(
      await errorOf(
        cognito.send(
          new ConfirmForgotPasswordCommand({
            ClientId: s.clientId,
            Username: "alice",
            ConfirmationCode: message?.code ?? "",
            Password: PASSWORD,
          }),
        ),
      ),
    ).toEqual({
      name: "ExpiredCodeException",
      message: "Invalid code provided, please request a code again.",
    });
  });

  it("follows the legacy recovery order (phone first) and AccountRecoverySetting", async () => {
    const { cognito } = get();
    const legacy = await setup();
    await confirmedUser(legacy, "bob", { phone_number: "+15555550123", phone_number_verified: "true" });
    const sms = await cognito.send(new ForgotPasswordCommand({ ClientId: legacy.clientId, Username: "bob" }));
    expect(sms.CodeDeliveryDetails).toEqual({
      Destination: "+*******0123",
      DeliveryMedium: "SMS",
      AttributeName: "phone_number",
    });

    const emailFirst = await setup({
      AccountRecoverySetting: {
        RecoveryMechanisms: [
          { Name: "verified_email", Priority: 1 },
          { Name: "verified_phone_number", Priority: 2 },
        ],
      },
    });
    await confirmedUser(emailFirst, "bob", { phone_number: "+15555550123", phone_number_verified: "true" });
    const email = await cognito.send(
      new ForgotPasswordCommand({ ClientId: emailFirst.clientId, Username: "bob" }),
    );
    expect(email.CodeDeliveryDetails?.DeliveryMedium).toBe("EMAIL");
  });

  it("refuses users it cannot send a code to, unless it hides them", async () => {
    const { cognito } = get();
    const s = await setup();
    await cognito.send(
      new AdminCreateUserCommand({ UserPoolId: s.poolId, Username: "carl", MessageAction: "SUPPRESS" }),
    );
    await cognito.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: s.poolId,
        Username: "carl",
        Password: PASSWORD,
        Permanent: true,
      }),
    );
    expect(
      await errorOf(cognito.send(new ForgotPasswordCommand({ ClientId: s.clientId, Username: "carl" }))),
    ).toEqual({
      name: "InvalidParameterException",
      message: "Cannot reset password for the user as there is no registered/verified email or phone_number",
    });
    const hidden = await createClient(cognito, s.poolId, { PreventUserExistenceErrors: "ENABLED" });
    const out = await cognito.send(
      new ForgotPasswordCommand({ ClientId: hidden.clientId, Username: "carl" }),
    );
    expect(out.CodeDeliveryDetails?.DeliveryMedium).toBe("SMS");
  });

  it("reports unknown users, or simulates a delivery under PreventUserExistenceErrors", async () => {
    const { cognito } = get();
    const s = await setup();
    expect(
      await errorOf(cognito.send(new ForgotPasswordCommand({ ClientId: s.clientId, Username: "ghost" }))),
    ).toEqual({
      name: "UserNotFoundException",
      message: "Username/client id combination not found.",
    });
    const hidden = await createClient(cognito, s.poolId, { PreventUserExistenceErrors: "ENABLED" });
    const out = await cognito.send(
      new ForgotPasswordCommand({ ClientId: hidden.clientId, Username: "ghost@example.net" }),
    );
    expect(out.CodeDeliveryDetails).toEqual({
      Destination: "g***@e***",
      DeliveryMedium: "EMAIL",
      AttributeName: "email",
    });
  });

  it("refuses invited, disabled and admin-only users", async () => {
    const { cognito } = get();
    const s = await setup();
    await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: s.poolId,
        Username: "dana",
        UserAttributes: attrs({ email: "dana@example.com", email_verified: "true" }),
        MessageAction: "SUPPRESS",
      }),
    );
    expect(
      await errorOf(cognito.send(new ForgotPasswordCommand({ ClientId: s.clientId, Username: "dana" }))),
    ).toEqual({
      name: "NotAuthorizedException",
      message: "User password cannot be reset in the current state.",
    });
    await confirmedUser(s, "dave");
    await cognito.send(new AdminDisableUserCommand({ UserPoolId: s.poolId, Username: "dave" }));
    expect(
      await errorOf(cognito.send(new ForgotPasswordCommand({ ClientId: s.clientId, Username: "dave" }))),
    ).toEqual({
      name: "NotAuthorizedException",
      message: "User is disabled.",
    });
    const adminOnly = await setup({
      AccountRecoverySetting: { RecoveryMechanisms: [{ Name: "admin_only", Priority: 1 }] },
    });
    await confirmedUser(adminOnly, "dora");
    expect(
      await errorOf(
        cognito.send(new ForgotPasswordCommand({ ClientId: adminOnly.clientId, Username: "dora" })),
      ),
    ).toEqual({
      name: "NotAuthorizedException",
      message: "Contact administrator to reset password.",
    });
  });

  it("finds users by a verified alias", async () => {
    const { cognito } = get();
    const s = await setup({ AliasAttributes: ["email"] });
    await confirmedUser(s, "erin");
    const out = await cognito.send(
      new ForgotPasswordCommand({ ClientId: s.clientId, Username: "erin@example.com" }),
    );
    expect(out.CodeDeliveryDetails?.AttributeName).toBe("email");
  });

  it("migrates an unknown user in through UserMigration_ForgotPassword", async () => {
    const { cognito, url } = get();
    const s = await setup();
    triggers.handlers.set("UserMigration_ForgotPassword", (event) => ({
      ...(event.response as Record<string, unknown>),
      userAttributes: { email: "fred@legacy.example", email_verified: "true" },
    }));
    const out = await cognito.send(
      new ForgotPasswordCommand({ ClientId: s.clientId, Username: "fred", ClientMetadata: { from: "app" } }),
    );
    expect(out.CodeDeliveryDetails).toEqual({
      Destination: "f***@l***",
      DeliveryMedium: "EMAIL",
      AttributeName: "email",
    });
    const [event] = triggers.events(s.poolId, "UserMigration_ForgotPassword");
    expect(event).toMatchObject({
      userName: "fred",
      callerContext: { clientId: s.clientId },
      request: { validationData: null, clientMetadata: { from: "app" } },
    });
    expect(event?.request).not.toHaveProperty("password");
    expect(await statusOf(s.poolId, "fred")).toBe("RESET_REQUIRED");
    expect(await signIn(s, "fred", PASSWORD)).toBe("PasswordResetRequiredException");
    const code = await lastCode(url, s.poolId, "fred");
    await cognito.send(
      new ConfirmForgotPasswordCommand({
        ClientId: s.clientId,
        Username: "fred",
        ConfirmationCode: code,
        Password: NEW_PASSWORD,
      }),
    );
    expect(await statusOf(s.poolId, "fred")).toBe("CONFIRMED");
    expect(await signIn(s, "fred", NEW_PASSWORD)).toBe("tokens");
  });

  it("reports a failed migration as a user not found", async () => {
    const { cognito } = get();
    const s = await setup();
    triggers.handlers.set("UserMigration_ForgotPassword", () => {
      throw new CognitoError(
        "UserLambdaValidationException",
        "UserMigration failed with error unknown user.",
      );
    });
    expect(
      await errorOf(cognito.send(new ForgotPasswordCommand({ ClientId: s.clientId, Username: "gail" }))),
    ).toEqual({
      name: "UserNotFoundException",
      message: `Exception migrating user in app client ${s.clientId}`,
    });
    expect(
      await errorOf(cognito.send(new AdminGetUserCommand({ UserPoolId: s.poolId, Username: "gail" }))),
    ).toMatchObject({
      name: "UserNotFoundException",
    });
  });

  it("rejects wrong, expired and unrequested codes, counting wrong ones", async () => {
    const { cognito, url, clock } = get();
    const s = await setup();
    await confirmedUser(s, "hank");
    const confirm = (code: string, password = NEW_PASSWORD) =>
      errorOf(
        cognito.send(
          new ConfirmForgotPasswordCommand({
            ClientId: s.clientId,
            Username: "hank",
            ConfirmationCode: code,
            Password: password,
          }),
        ),
      );
    expect(await confirm("123456")).toEqual({
      name: "ExpiredCodeException",
      message: "Invalid code provided, please request a code again.",
    });

    await cognito.send(new ForgotPasswordCommand({ ClientId: s.clientId, Username: "hank" }));
    const code = await lastCode(url, s.poolId, "hank");
    expect(await confirm(code, "short")).toEqual({
      name: "InvalidPasswordException",
      message: "Password does not conform to policy: Password not long enough",
    });
    for (let i = 0; i < 5; i++)
      expect(await confirm(wrong(code))).toEqual({
        name: "CodeMismatchException",
        message: "Invalid verification code provided, please try again.",
      });
    expect(await confirm(code)).toEqual({
      name: "LimitExceededException",
      message: "Attempt limit exceeded, please try after some time.",
    });

    await cognito.send(new ForgotPasswordCommand({ ClientId: s.clientId, Username: "hank" }));
    const fresh = await lastCode(url, s.poolId, "hank");
    clock.advance(3600 * 1000);
    expect(await confirm(fresh)).toEqual({
      name: "ExpiredCodeException",
      message: "Invalid code provided, please request a code again.",
    });
    expect(await signIn(s, "hank", PASSWORD)).toBe("tokens");
  });

  it("reports unknown users, or hides them as a wrong code", async () => {
    const { cognito } = get();
    const s = await setup();
    const input = { Username: "nobody", ConfirmationCode: "123456", Password: NEW_PASSWORD };
    expect(
      await errorOf(cognito.send(new ConfirmForgotPasswordCommand({ ClientId: s.clientId, ...input }))),
    ).toEqual({
      name: "UserNotFoundException",
      message: "Username/client id combination not found.",
    });
    const hidden = await createClient(cognito, s.poolId, { PreventUserExistenceErrors: "ENABLED" });
    expect(
      await errorOf(cognito.send(new ConfirmForgotPasswordCommand({ ClientId: hidden.clientId, ...input }))),
    ).toEqual({
      name: "CodeMismatchException",
      message: "Invalid verification code provided, please try again.",
    });
  });

  it("has no channel for a signed-up user whose email is not verified yet", async () => {
    const { cognito, url } = get();
    const s = await setup();
    await cognito.send(
      new SignUpCommand({
        ClientId: s.clientId,
        Username: "ivy",
        Password: PASSWORD,
        UserAttributes: attrs({ email: "ivy@example.com" }),
      }),
    );
    expect(
      await errorOf(cognito.send(new ForgotPasswordCommand({ ClientId: s.clientId, Username: "ivy" }))),
    ).toEqual({
      name: "InvalidParameterException",
      message: "Cannot reset password for the user as there is no registered/verified email or phone_number",
    });
    expect((await outbox(url, s.poolId, "ivy")).map((m) => m.reason)).toEqual(["SignUp"]);
  });
});

describe("AdminSetUserPassword", () => {
  it("sets a permanent password and confirms the user", async () => {
    const { cognito } = get();
    const s = await setup();
    await cognito.send(new SignUpCommand({ ClientId: s.clientId, Username: "jack", Password: PASSWORD }));
    expect(await statusOf(s.poolId, "jack")).toBe("UNCONFIRMED");
    await cognito.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: s.poolId,
        Username: "jack",
        Password: NEW_PASSWORD,
        Permanent: true,
      }),
    );
    expect(await statusOf(s.poolId, "jack")).toBe("CONFIRMED");
    expect(await signIn(s, "jack", NEW_PASSWORD)).toBe("tokens");
    expect(triggers.events(s.poolId, "PostConfirmation_ConfirmSignUp")).toEqual([]);
  });

  it("makes any password temporary unless Permanent, even for a confirmed user", async () => {
    const { cognito } = get();
    const s = await setup();
    await confirmedUser(s, "kate");
    await cognito.send(
      new AdminSetUserPasswordCommand({ UserPoolId: s.poolId, Username: "kate", Password: NEW_PASSWORD }),
    );
    expect(await statusOf(s.poolId, "kate")).toBe("FORCE_CHANGE_PASSWORD");
    expect(await signIn(s, "kate", NEW_PASSWORD)).toBe("challenge NEW_PASSWORD_REQUIRED");
    expect(await signIn(s, "kate", PASSWORD)).toBe("NotAuthorizedException");
  });

  it("enforces the policy and finds the user", async () => {
    const { cognito } = get();
    const s = await setup({ Policies: { PasswordPolicy: { MinimumLength: 12 } } });
    await cognito.send(
      new AdminCreateUserCommand({ UserPoolId: s.poolId, Username: "liam", MessageAction: "SUPPRESS" }),
    );
    expect(
      await errorOf(
        cognito.send(
          new AdminSetUserPasswordCommand({
            UserPoolId: s.poolId,
            Username: "liam",
            Password: "Passw0rd!",
            Permanent: true,
          }),
        ),
      ),
    ).toEqual({
      name: "InvalidPasswordException",
      message: "Password does not conform to policy: Password not long enough",
    });
    expect(
      await errorOf(
        cognito.send(
          new AdminSetUserPasswordCommand({
            UserPoolId: s.poolId,
            Username: "nobody",
            Password: "long-enough-password",
          }),
        ),
      ),
    ).toEqual({ name: "UserNotFoundException", message: "User does not exist." });
    expect(
      await errorOf(
        cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: s.poolId, Username: "liam" } as never)),
      ),
    ).toEqual({
      name: "InvalidParameterException",
      message:
        "1 validation error detected: Value null at 'password' failed to satisfy constraint: Member must not be null",
    });
  });
});

describe("AdminResetUserPassword", () => {
  it("requires a reset: the old password stops working and a code is sent", async () => {
    const { cognito, url } = get();
    const s = await setup();
    await confirmedUser(s, "mona");
    await cognito.send(new AdminResetUserPasswordCommand({ UserPoolId: s.poolId, Username: "mona" }));
    expect(await statusOf(s.poolId, "mona")).toBe("RESET_REQUIRED");
    expect(await signIn(s, "mona", PASSWORD)).toBe("PasswordResetRequiredException");
    const [message] = await outbox(url, s.poolId, "mona");
    expect(message).toMatchObject({
      reason: "ForgotPassword",
      medium: "EMAIL",
      destination: "mona@example.com",
    });
    await cognito.send(
      new ConfirmForgotPasswordCommand({
        ClientId: s.clientId,
        Username: "mona",
        ConfirmationCode: message?.code ?? "",
        Password: NEW_PASSWORD,
      }),
    );
    expect(await statusOf(s.poolId, "mona")).toBe("CONFIRMED");
    expect(await signIn(s, "mona", NEW_PASSWORD)).toBe("tokens");
  });

  it("needs a verified email or phone number", async () => {
    const { cognito } = get();
    const s = await setup();
    await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: s.poolId,
        Username: "ned",
        UserAttributes: attrs({ email: "ned@example.com" }),
        MessageAction: "SUPPRESS",
      }),
    );
    expect(
      await errorOf(
        cognito.send(new AdminResetUserPasswordCommand({ UserPoolId: s.poolId, Username: "ned" })),
      ),
    ).toEqual({
      name: "InvalidParameterException",
      message: "Cannot reset password for the user as there is no registered/verified email or phone_number",
    });
    expect(await statusOf(s.poolId, "ned")).toBe("FORCE_CHANGE_PASSWORD");
    expect(
      await errorOf(
        cognito.send(new AdminResetUserPasswordCommand({ UserPoolId: s.poolId, Username: "nobody" })),
      ),
    ).toEqual({
      name: "UserNotFoundException",
      message: "User does not exist.",
    });
  });
});
