// PreSignUp and PostConfirmation through the AWS SDK, with real handler files run by the real trigger runner.
import {
  AdminConfirmSignUpCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminUpdateUserAttributesCommand,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  ForgotPasswordCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { beforeEach, describe, expect, it } from "vitest";
import { errorOf } from "../../helpers/server.js";
import { arnOf, useTriggerServer } from "../../helpers/trigger-server.js";
import { createClient, createPool, passwordSignIn, unique } from "../cognito/auth-fixtures.js";
import { lastCode } from "../cognito/signup-helpers.js";

const PASSWORD = "Passw0rd!";
const NEW_PASSWORD = "N3w-Passw0rd!";

const t = useTriggerServer({
  echo: ["common.mjs", "echo"],
  callbackEcho: ["common.mjs", "callbackEcho"],
  throws: ["common.mjs", "throws"],
  autoConfirm: ["pre-sign-up.mjs", "autoConfirm"],
  autoConfirmAndVerify: ["pre-sign-up.mjs", "autoConfirmAndVerify"],
  domainOnly: ["pre-sign-up.mjs", "domainOnly"],
  wrongTypes: ["pre-sign-up.mjs", "wrongTypes"],
  verifyOnly: ["pre-sign-up.mjs", "verifyOnly"],
  callbackConfirm: ["pre-sign-up.mjs", "callbackConfirm"],
  postConfirmation: ["common.mjs", "echo"],
  postConfirmationThrows: ["common.mjs", "throwsWithPeriod"],
});

beforeEach(() => t.clear());

async function pool(lambdaConfig: Record<string, string>, extra: Record<string, unknown> = {}) {
  const { cognito } = t.get();
  const LambdaConfig = Object.fromEntries(Object.entries(lambdaConfig).map(([k, name]) => [k, arnOf(name)]));
  const poolId = await createPool(cognito, { AutoVerifiedAttributes: ["email"], LambdaConfig, ...extra });
  const { clientId } = await createClient(cognito, poolId);
  return { cognito, poolId, clientId };
}

const SDK = expect.stringMatching(/^aws-sdk-js-3\./);

describe("PreSignUp_SignUp", () => {
  it("sends Cognito's event: submitted attributes only, validationData and clientMetadata, defaults pre-filled", async () => {
    const { cognito, poolId, clientId } = await pool({ PreSignUp: "echo" });
    const username = unique("ann");
    await cognito.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: username,
        Password: PASSWORD,
        UserAttributes: [{ Name: "email", Value: `${username}@example.com` }],
        ValidationData: [{ Name: "captcha", Value: "ok" }],
        ClientMetadata: { campaign: "spring" },
      }),
    );
    expect(t.event("echo")).toEqual({
      version: "1",
      triggerSource: "PreSignUp_SignUp",
      region: "us-east-1",
      userPoolId: poolId,
      userName: username,
      callerContext: { awsSdkVersion: SDK, clientId },
      request: {
        userAttributes: { email: `${username}@example.com` },
        validationData: { captcha: "ok" },
        clientMetadata: { campaign: "spring" },
      },
      response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
    });
  });

  it("absent ValidationData and ClientMetadata are null; a callback-style handler works the same", async () => {
    const { cognito, clientId } = await pool({ PreSignUp: "callbackEcho" });
    const username = unique("bob");
    const out = await cognito.send(
      new SignUpCommand({ ClientId: clientId, Username: username, Password: PASSWORD }),
    );
    expect(out.UserConfirmed).toBe(false);
    expect(t.event("callbackEcho")).toMatchObject({
      request: { validationData: null, clientMetadata: null },
    });
  });

  it("userName is the generated UUID in pools where email is the username", async () => {
    const { cognito, clientId } = await pool({ PreSignUp: "echo" }, { UsernameAttributes: ["email"] });
    const email = `${unique("uuid")}@example.com`;
    const out = await cognito.send(
      new SignUpCommand({ ClientId: clientId, Username: email, Password: PASSWORD }),
    );
    const event = t.event("echo");
    expect(event.userName).toBe(out.UserSub);
    expect(event.request).toMatchObject({ userAttributes: { email } });
  });

  it("autoConfirmUser confirms at once, sends no code, and runs PostConfirmation_ConfirmSignUp", async () => {
    const { cognito, poolId, clientId } = await pool({
      PreSignUp: "autoConfirm",
      PostConfirmation: "postConfirmation",
    });
    const username = unique("carl");
    const out = await cognito.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: username,
        Password: PASSWORD,
        UserAttributes: [{ Name: "email", Value: `${username}@example.com` }],
        ClientMetadata: { from: "signup" },
      }),
    );
    expect(out.UserConfirmed).toBe(true);
    expect(out.CodeDeliveryDetails).toBeUndefined();
    const user = await cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
    expect(user.UserStatus).toBe("CONFIRMED");
    // Confirmed without verification: the email is not verified.
    expect(user.UserAttributes?.find((a) => a.Name === "email_verified")).toBeUndefined();
    const post = t.event("postConfirmation");
    expect(post).toEqual({
      version: "1",
      triggerSource: "PostConfirmation_ConfirmSignUp",
      region: "us-east-1",
      userPoolId: poolId,
      userName: username,
      callerContext: { awsSdkVersion: SDK, clientId },
      request: {
        userAttributes: {
          sub: out.UserSub,
          email: `${username}@example.com`,
          "cognito:user_status": "CONFIRMED",
        },
        clientMetadata: { from: "signup" },
      },
      response: {},
    });
    expect((await passwordSignIn(cognito, clientId, username, PASSWORD)).AuthenticationResult).toBeDefined();
  });

  it("a PostConfirmation failure after auto-confirmation fails SignUp, but the user exists, confirmed", async () => {
    const { cognito, poolId, clientId } = await pool({
      PreSignUp: "autoConfirm",
      PostConfirmation: "postConfirmationThrows",
    });
    const username = unique("kit");
    expect(
      await errorOf(
        cognito.send(new SignUpCommand({ ClientId: clientId, Username: username, Password: PASSWORD })),
      ),
    ).toEqual({
      name: "UserLambdaValidationException",
      message: "PostConfirmation failed with error Not allowed..",
    });
    const user = await cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
    expect(user.UserStatus).toBe("CONFIRMED");
  });

  it("autoVerifyEmail marks the email verified", async () => {
    const { cognito, poolId, clientId } = await pool({ PreSignUp: "autoConfirmAndVerify" });
    const username = unique("dana");
    await cognito.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: username,
        Password: PASSWORD,
        UserAttributes: [{ Name: "email", Value: `${username}@example.com` }],
      }),
    );
    const user = await cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
    expect(user.UserAttributes?.find((a) => a.Name === "email_verified")?.Value).toBe("true");
  });

  it("auto-verifying without auto-confirming, or an attribute the user lacks, is refused", async () => {
    const only = await pool({ PreSignUp: "verifyOnly" });
    const username = unique("vo");
    expect(
      await errorOf(
        only.cognito.send(
          new SignUpCommand({
            ClientId: only.clientId,
            Username: username,
            Password: PASSWORD,
            UserAttributes: [{ Name: "email", Value: `${username}@example.com` }],
          }),
        ),
      ),
    ).toEqual({
      name: "InvalidParameterException",
      message: "Phone or email cannot be auto verified, when user is not being auto confirmed.",
    });
    const both = await pool({ PreSignUp: "autoConfirmAndVerify" });
    expect(
      await errorOf(
        both.cognito.send(
          new SignUpCommand({ ClientId: both.clientId, Username: unique("ne"), Password: PASSWORD }),
        ),
      ),
    ).toEqual({
      name: "InvalidParameterException",
      message: "Email cannot be auto verified, when email attribute is not present.",
    });
  });

  it("an auto-verified email alias moves to the new user; the previous holder's becomes unverified", async () => {
    const { cognito, poolId, clientId } = await pool(
      { PreSignUp: "autoConfirmAndVerify" },
      { AliasAttributes: ["email"] },
    );
    const email = `${unique("shared")}@example.com`;
    const first = unique("first");
    const second = unique("second");
    for (const username of [first, second])
      await cognito.send(
        new SignUpCommand({
          ClientId: clientId,
          Username: username,
          Password: PASSWORD,
          UserAttributes: [{ Name: "email", Value: email }],
        }),
      );
    const previous = await cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: first }));
    expect(previous.UserAttributes?.find((a) => a.Name === "email_verified")?.Value).toBe("false");
    const out = await passwordSignIn(cognito, clientId, email, PASSWORD);
    expect(out.AuthenticationResult).toBeDefined();
  });

  it("a callback answer is read like a returned one", async () => {
    const { cognito, clientId } = await pool({ PreSignUp: "callbackConfirm" });
    const out = await cognito.send(
      new SignUpCommand({ ClientId: clientId, Username: unique("cb"), Password: PASSWORD }),
    );
    expect(out.UserConfirmed).toBe(true);
  });

  it("a handler that throws rejects the sign-up and no user is created", async () => {
    const { cognito, poolId, clientId } = await pool({ PreSignUp: "domainOnly" });
    const username = unique("eve");
    expect(
      await errorOf(
        cognito.send(
          new SignUpCommand({
            ClientId: clientId,
            Username: username,
            Password: PASSWORD,
            UserAttributes: [{ Name: "email", Value: `${username}@elsewhere.org` }],
          }),
        ),
      ),
    ).toEqual({
      name: "UserLambdaValidationException",
      message: "PreSignUp failed with error Only example.com addresses may sign up.",
    });
    expect(
      (await errorOf(cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username })))).name,
    ).toBe("UserNotFoundException");
  });

  it("a flag of the wrong type is an unrecognizable output, and no user is created", async () => {
    const { cognito, poolId, clientId } = await pool({ PreSignUp: "wrongTypes" });
    const username = unique("fay");
    expect(
      await errorOf(
        cognito.send(new SignUpCommand({ ClientId: clientId, Username: username, Password: PASSWORD })),
      ),
    ).toEqual({ name: "InvalidLambdaResponseException", message: "Unrecognizable lambda output" });
    expect(
      (await errorOf(cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username })))).name,
    ).toBe("UserNotFoundException");
  });
});

describe("PreSignUp_AdminCreateUser", () => {
  it("sends CLIENT_ID_NOT_APPLICABLE, validationData and clientMetadata; its flags are ignored", async () => {
    const { cognito, poolId } = await pool({ PreSignUp: "autoConfirmAndVerify" });
    const username = unique("gus");
    const out = await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: username,
        UserAttributes: [{ Name: "email", Value: `${username}@example.com` }],
        ValidationData: [{ Name: "source", Value: "import" }],
        ClientMetadata: { batch: "7" },
        MessageAction: "SUPPRESS",
      }),
    );
    expect(out.User?.UserStatus).toBe("FORCE_CHANGE_PASSWORD");
    expect(out.User?.Attributes?.find((a) => a.Name === "email_verified")).toBeUndefined();
    expect(t.event("autoConfirmAndVerify")).toEqual({
      version: "1",
      triggerSource: "PreSignUp_AdminCreateUser",
      region: "us-east-1",
      userPoolId: poolId,
      userName: username,
      callerContext: { awsSdkVersion: SDK, clientId: "CLIENT_ID_NOT_APPLICABLE" },
      request: {
        userAttributes: { email: `${username}@example.com` },
        validationData: { source: "import" },
        clientMetadata: { batch: "7" },
      },
      response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
    });
  });

  it("a handler that throws blocks the creation", async () => {
    const { cognito, poolId } = await pool({ PreSignUp: "throws" });
    const username = unique("hal");
    expect(
      await errorOf(
        cognito.send(
          new AdminCreateUserCommand({ UserPoolId: poolId, Username: username, MessageAction: "SUPPRESS" }),
        ),
      ),
    ).toEqual({ name: "UserLambdaValidationException", message: "PreSignUp failed with error Nope." });
    expect(
      (await errorOf(cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username })))).name,
    ).toBe("UserNotFoundException");
  });
});

describe("PostConfirmation", () => {
  async function signedUp(lambdaConfig: Record<string, string>) {
    const p = await pool(lambdaConfig);
    const username = unique("ivy");
    const out = await p.cognito.send(
      new SignUpCommand({
        ClientId: p.clientId,
        Username: username,
        Password: PASSWORD,
        UserAttributes: [{ Name: "email", Value: `${username}@example.com` }],
      }),
    );
    t.clear();
    return { ...p, username, sub: out.UserSub as string };
  }

  it("ConfirmSignUp: the confirmed user's attributes (verified email, CONFIRMED) and the call's ClientMetadata", async () => {
    const { url } = t.get();
    const { cognito, poolId, clientId, username, sub } = await signedUp({
      PostConfirmation: "postConfirmation",
    });
    const code = await lastCode(url, poolId, username);
    await cognito.send(
      new ConfirmSignUpCommand({
        ClientId: clientId,
        Username: username,
        ConfirmationCode: code,
        ClientMetadata: { step: "confirm" },
      }),
    );
    expect(t.event("postConfirmation")).toEqual({
      version: "1",
      triggerSource: "PostConfirmation_ConfirmSignUp",
      region: "us-east-1",
      userPoolId: poolId,
      userName: username,
      callerContext: { awsSdkVersion: SDK, clientId },
      request: {
        userAttributes: {
          sub,
          email: `${username}@example.com`,
          email_verified: "true",
          "cognito:user_status": "CONFIRMED",
        },
        clientMetadata: { step: "confirm" },
      },
      response: {},
    });
  });

  it("AdminConfirmSignUp: CLIENT_ID_NOT_APPLICABLE, clientMetadata null when none is sent", async () => {
    const { cognito, poolId, username } = await signedUp({ PostConfirmation: "postConfirmation" });
    await cognito.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: username }));
    expect(t.event("postConfirmation")).toMatchObject({
      triggerSource: "PostConfirmation_ConfirmSignUp",
      callerContext: { clientId: "CLIENT_ID_NOT_APPLICABLE" },
      request: { clientMetadata: null, userAttributes: { "cognito:user_status": "CONFIRMED" } },
    });
  });

  it("a failure reaches the caller, but the user stays confirmed", async () => {
    const { url } = t.get();
    const { cognito, poolId, clientId, username } = await signedUp({
      PostConfirmation: "postConfirmationThrows",
    });
    const code = await lastCode(url, poolId, username);
    expect(
      await errorOf(
        cognito.send(
          new ConfirmSignUpCommand({ ClientId: clientId, Username: username, ConfirmationCode: code }),
        ),
      ),
    ).toEqual({
      name: "UserLambdaValidationException",
      message: "PostConfirmation failed with error Not allowed..",
    });
    const user = await cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
    expect(user.UserStatus).toBe("CONFIRMED");
    expect((await passwordSignIn(cognito, clientId, username, PASSWORD)).AuthenticationResult).toBeDefined();
  });

  it("ConfirmForgotPassword: PostConfirmation_ConfirmForgotPassword; a failure keeps the new password", async () => {
    const { url } = t.get();
    const { cognito, poolId, clientId, username } = await signedUp({
      PostConfirmation: "postConfirmationThrows",
    });
    await cognito
      .send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: username }))
      .catch(() => {});
    await cognito.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: poolId,
        Username: username,
        UserAttributes: [{ Name: "email_verified", Value: "true" }],
      }),
    );
    t.clear();
    await cognito.send(new ForgotPasswordCommand({ ClientId: clientId, Username: username }));
    const code = await lastCode(url, poolId, username);
    expect(
      await errorOf(
        cognito.send(
          new ConfirmForgotPasswordCommand({
            ClientId: clientId,
            Username: username,
            ConfirmationCode: code,
            Password: NEW_PASSWORD,
            ClientMetadata: { step: "reset" },
          }),
        ),
      ),
    ).toEqual({
      name: "UserLambdaValidationException",
      message: "PostConfirmation failed with error Not allowed..",
    });
    expect(t.event("postConfirmationThrows")).toMatchObject({
      triggerSource: "PostConfirmation_ConfirmForgotPassword",
      callerContext: { clientId },
      request: { clientMetadata: { step: "reset" }, userAttributes: { "cognito:user_status": "CONFIRMED" } },
    });
    expect(
      (await passwordSignIn(cognito, clientId, username, NEW_PASSWORD)).AuthenticationResult,
    ).toBeDefined();
  });
});
