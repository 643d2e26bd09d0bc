// CustomMessage for every source through the AWS SDK: the events, the customised messages in the outbox, and refused messages.
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminResetUserPasswordCommand,
  AdminUpdateUserAttributesCommand,
  ForgotPasswordCommand,
  GetUserAttributeVerificationCodeCommand,
  ResendConfirmationCodeCommand,
  SignUpCommand,
  UpdateUserAttributesCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { beforeEach, describe, expect, it } from "vitest";
import { errorOf } from "../../helpers/server.js";
import { arnOf, useTriggerServer } from "../../helpers/trigger-server.js";
import {
  createClient,
  createPool,
  createUser,
  PASSWORD,
  passwordSignIn,
  unique,
} from "../cognito/auth-fixtures.js";
import { outbox } from "../cognito/signup-helpers.js";

const t = useTriggerServer({
  branded: ["custom-message.mjs", "branded"],
  subjectOnly: ["custom-message.mjs", "subjectOnly"],
  noCode: ["custom-message.mjs", "noCode"],
  noBreakSpace: ["custom-message.mjs", "noBreakSpace"],
  echo: ["common.mjs", "echo"],
  throws: ["common.mjs", "throws"],
});

beforeEach(() => t.clear());

const SDK = expect.stringMatching(/^aws-sdk-js-3\./);

async function setup(handler: string) {
  const { cognito, url } = t.get();
  const poolId = await createPool(cognito, {
    AutoVerifiedAttributes: ["email"],
    LambdaConfig: { CustomMessage: arnOf(handler) },
  });
  const { clientId } = await createClient(cognito, poolId);
  return { cognito, url, poolId, clientId };
}

async function signUp(
  cognito: ReturnType<typeof t.get>["cognito"],
  clientId: string,
  metadata?: Record<string, string>,
) {
  const username = unique("cm");
  const out = await cognito.send(
    new SignUpCommand({
      ClientId: clientId,
      Username: username,
      Password: PASSWORD,
      UserAttributes: [{ Name: "email", Value: `${username}@example.com` }],
      ...(metadata ? { ClientMetadata: metadata } : {}),
    }),
  );
  return { username, sub: out.UserSub as string };
}

/** A confirmed user with a verified email, signed in; the trigger's events so far are cleared. */
async function verifiedUser(cognito: ReturnType<typeof t.get>["cognito"], poolId: string, clientId: string) {
  const username = unique("cv");
  await createUser(cognito, poolId, username, {
    attributes: [
      { Name: "email", Value: `${username}@example.com` },
      { Name: "email_verified", Value: "true" },
    ],
  });
  const tokens = (await passwordSignIn(cognito, clientId, username)).AuthenticationResult;
  t.clear();
  return { username, accessToken: tokens?.AccessToken as string };
}

describe("CustomMessage events", () => {
  it("_SignUp: placeholders, not the code; the unconfirmed user's attributes; the call's ClientMetadata", async () => {
    const { cognito, url, poolId, clientId } = await setup("branded");
    const { username, sub } = await signUp(cognito, clientId, { lang: "en" });
    expect(t.event("branded")).toEqual({
      version: "1",
      triggerSource: "CustomMessage_SignUp",
      region: "us-east-1",
      userPoolId: poolId,
      userName: username,
      callerContext: { awsSdkVersion: SDK, clientId },
      request: {
        userAttributes: { sub, email: `${username}@example.com`, "cognito:user_status": "UNCONFIRMED" },
        codeParameter: "{####}",
        linkParameter: "{##Click Here##}",
        usernameParameter: null,
        clientMetadata: { lang: "en" },
      },
      response: { smsMessage: null, emailMessage: null, emailSubject: null },
    });
    const [message] = await outbox(url, poolId, username);
    expect(message).toMatchObject({
      reason: "SignUp",
      subject: "Acme CustomMessage_SignUp",
      body: `<p>Hello your Acme code is ${message?.code}</p>`,
    });
    expect(message?.code).toMatch(/^\d{6}$/);
  });

  it("_AdminCreateUser: usernameParameter, CLIENT_ID_NOT_APPLICABLE, the temporary password as the code", async () => {
    const { cognito, url, poolId } = await setup("branded");
    const username = unique("inv");
    await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: username,
        UserAttributes: [{ Name: "email", Value: `${username}@example.com` }],
        DesiredDeliveryMediums: ["EMAIL"],
        TemporaryPassword: "Temp-Passw0rd1",
        ClientMetadata: { invitedBy: "ops" },
      }),
    );
    expect(t.event("branded")).toMatchObject({
      triggerSource: "CustomMessage_AdminCreateUser",
      userName: username,
      callerContext: { clientId: "CLIENT_ID_NOT_APPLICABLE" },
      request: {
        userAttributes: { "cognito:user_status": "FORCE_CHANGE_PASSWORD" },
        codeParameter: "{####}",
        usernameParameter: "{username}",
        clientMetadata: { invitedBy: "ops" },
      },
    });
    const [message] = await outbox(url, poolId, username);
    expect(message).toMatchObject({
      reason: "AdminCreateUser",
      code: "Temp-Passw0rd1",
      body: `<p>Hello ${username} your Acme code is Temp-Passw0rd1</p>`,
    });
  });

  it("_ResendCode", async () => {
    const { cognito, url, poolId, clientId } = await setup("branded");
    const { username } = await signUp(cognito, clientId);
    t.clear();
    await cognito.send(
      new ResendConfirmationCodeCommand({
        ClientId: clientId,
        Username: username,
        ClientMetadata: { n: "2" },
      }),
    );
    expect(t.event("branded")).toMatchObject({
      triggerSource: "CustomMessage_ResendCode",
      callerContext: { clientId },
      request: { clientMetadata: { n: "2" } },
    });
    const messages = await outbox(url, poolId, username);
    expect(messages.at(-1)).toMatchObject({ reason: "ResendCode", subject: "Acme CustomMessage_ResendCode" });
  });

  it("_ForgotPassword, from ForgotPassword and from AdminResetUserPassword", async () => {
    const { cognito, url, poolId, clientId } = await setup("branded");
    const { username } = await verifiedUser(cognito, poolId, clientId);
    await cognito.send(new ForgotPasswordCommand({ ClientId: clientId, Username: username }));
    expect(t.event("branded")).toMatchObject({
      triggerSource: "CustomMessage_ForgotPassword",
      callerContext: { clientId },
      request: {
        userAttributes: { email_verified: "true", "cognito:user_status": "CONFIRMED" },
        clientMetadata: null,
      },
    });
    t.clear();
    await cognito.send(
      new AdminResetUserPasswordCommand({
        UserPoolId: poolId,
        Username: username,
        ClientMetadata: { by: "admin" },
      }),
    );
    expect(t.event("branded")).toMatchObject({
      triggerSource: "CustomMessage_ForgotPassword",
      callerContext: { clientId: "CLIENT_ID_NOT_APPLICABLE" },
      request: {
        userAttributes: { "cognito:user_status": "RESET_REQUIRED" },
        clientMetadata: { by: "admin" },
      },
    });
    const messages = await outbox(url, poolId, username);
    expect(messages.map((m) => m.subject)).toEqual([
      "Acme CustomMessage_ForgotPassword",
      "Acme CustomMessage_ForgotPassword",
    ]);
  });

  it("_UpdateUserAttribute, from UpdateUserAttributes and AdminUpdateUserAttributes", async () => {
    const { cognito, url, poolId, clientId } = await setup("branded");
    const { username, accessToken } = await verifiedUser(cognito, poolId, clientId);
    await cognito.send(
      new UpdateUserAttributesCommand({
        AccessToken: accessToken,
        UserAttributes: [{ Name: "email", Value: `new-${username}@example.com` }],
        ClientMetadata: { via: "profile" },
      }),
    );
    expect(t.event("branded")).toMatchObject({
      triggerSource: "CustomMessage_UpdateUserAttribute",
      callerContext: { clientId },
      request: {
        userAttributes: { email: `new-${username}@example.com`, email_verified: "false" },
        clientMetadata: { via: "profile" },
      },
    });
    t.clear();
    await cognito.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: poolId,
        Username: username,
        UserAttributes: [{ Name: "email", Value: `admin-${username}@example.com` }],
      }),
    );
    expect(t.event("branded")).toMatchObject({
      triggerSource: "CustomMessage_UpdateUserAttribute",
      callerContext: { clientId: "CLIENT_ID_NOT_APPLICABLE" },
    });
    const messages = await outbox(url, poolId, username);
    expect(messages.at(-1)).toMatchObject({
      reason: "UpdateUserAttribute",
      destination: `admin-${username}@example.com`,
      subject: "Acme CustomMessage_UpdateUserAttribute",
    });
  });

  it("_VerifyUserAttribute, from GetUserAttributeVerificationCode", async () => {
    const { cognito, url, poolId, clientId } = await setup("branded");
    const { username, accessToken } = await verifiedUser(cognito, poolId, clientId);
    await cognito.send(
      new GetUserAttributeVerificationCodeCommand({
        AccessToken: accessToken,
        AttributeName: "email",
        ClientMetadata: { why: "check" },
      }),
    );
    expect(t.event("branded")).toMatchObject({
      triggerSource: "CustomMessage_VerifyUserAttribute",
      callerContext: { clientId },
      request: { clientMetadata: { why: "check" } },
    });
    const messages = await outbox(url, poolId, username);
    expect(messages.at(-1)).toMatchObject({
      reason: "VerifyUserAttribute",
      subject: "Acme CustomMessage_VerifyUserAttribute",
    });
  });
});

describe("CustomMessage responses", () => {
  it("null members keep the pool's template", async () => {
    const { cognito, url, poolId, clientId } = await setup("echo");
    const { username } = await signUp(cognito, clientId);
    const [message] = await outbox(url, poolId, username);
    expect(message).toMatchObject({
      subject: "Your verification code",
      body: `Your verification code is ${message?.code}. `,
    });
  });

  it("a subject alone replaces only the subject", async () => {
    const { cognito, url, poolId, clientId } = await setup("subjectOnly");
    const { username } = await signUp(cognito, clientId);
    const [message] = await outbox(url, poolId, username);
    expect(message).toMatchObject({
      subject: "Only the subject",
      body: `Your verification code is ${message?.code}. `,
    });
  });

  it("a message without {####} is refused with the pattern Cognito checks; the user was already created", async () => {
    const { cognito, poolId, clientId } = await setup("noCode");
    const username = unique("nc");
    expect(
      await errorOf(
        cognito.send(
          new SignUpCommand({
            ClientId: clientId,
            Username: username,
            Password: PASSWORD,
            UserAttributes: [{ Name: "email", Value: `${username}@example.com` }],
          }),
        ),
      ),
    ).toEqual({
      name: "InvalidParameterException",
      message:
        "1 validation error detected: Value 'Welcome aboard!' at 'emailBody' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\s*]*\\{####\\}[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\s*]*",
    });
    expect(
      (await cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }))).UserStatus,
    ).toBe("UNCONFIRMED");
  });

  it("a no-break space fails the pattern (Java's \\s is ASCII only)", async () => {
    const { cognito, clientId } = await setup("noBreakSpace");
    expect((await errorOf(signUp(cognito, clientId))).name).toBe("InvalidParameterException");
  });

  it("_AdminCreateUser needs {username} as well", async () => {
    const { cognito, poolId } = await setup("noCode");
    const username = unique("nu");
    const error = await errorOf(
      cognito.send(
        new AdminCreateUserCommand({
          UserPoolId: poolId,
          Username: username,
          UserAttributes: [{ Name: "email", Value: `${username}@example.com` }],
          DesiredDeliveryMediums: ["EMAIL"],
        }),
      ),
    );
    expect(error.name).toBe("InvalidParameterException");
    // Cognito creates the user even when the invitation cannot be sent.
    expect(
      (await cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }))).UserStatus,
    ).toBe("FORCE_CHANGE_PASSWORD");
  });

  it("a failing handler fails the call", async () => {
    const { cognito, clientId } = await setup("throws");
    expect(await errorOf(signUp(cognito, clientId))).toEqual({
      name: "UserLambdaValidationException",
      message: "CustomMessage failed with error Nope.",
    });
  });
});
