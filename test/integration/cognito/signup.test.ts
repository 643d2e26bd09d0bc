// SignUp, ConfirmSignUp, ResendConfirmationCode and AdminConfirmSignUp through the SDK, errors worded as Cognito words them.
import {
  AdminConfirmSignUpCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  ConfirmSignUpCommand,
  ResendConfirmationCodeCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { beforeEach, describe, expect, it } from "vitest";
import { secretHash } from "../../../src/cognito/domain/secret-hash.js";
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
  UUID,
  wrong,
} from "./signup-helpers.js";

const triggers = new ScriptedTriggers();
const get = useTestServer({ triggers });

beforeEach(() => triggers.reset());

async function emailPool(extra: Parameters<typeof createPool>[1] = {}) {
  const { cognito } = get();
  const poolId = await createPool(cognito, {
    AutoVerifiedAttributes: ["email"],
    LambdaConfig: ALL_TRIGGERS,
    ...extra,
  });
  const { clientId } = await createClient(cognito, poolId);
  return { poolId, clientId };
}

const attrs = (map: Record<string, string>) => Object.entries(map).map(([Name, Value]) => ({ Name, Value }));

async function attributesOf(poolId: string, username: string): Promise<Record<string, string>> {
  const user = await get().cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
  return Object.fromEntries((user.UserAttributes ?? []).map((a) => [a.Name ?? "", a.Value ?? ""]));
}

async function statusOf(poolId: string, username: string): Promise<string | undefined> {
  return (await get().cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username })))
    .UserStatus;
}

describe("SignUp", () => {
  it("creates an UNCONFIRMED user and sends a code to the auto-verified email", async () => {
    const { cognito, url } = get();
    const { poolId, clientId } = await emailPool();
    const out = await cognito.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: "alice",
        Password: PASSWORD,
        UserAttributes: attrs({ email: "alice@example.com" }),
      }),
    );
    expect(out.UserConfirmed).toBe(false);
    expect(out.UserSub).toMatch(UUID);
    expect(out.CodeDeliveryDetails).toEqual({
      Destination: "a***@e***",
      DeliveryMedium: "EMAIL",
      AttributeName: "email",
    });

    const user = await cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "alice" }));
    expect(user.Username).toBe("alice");
    expect(user.UserStatus).toBe("UNCONFIRMED");
    expect(user.Enabled).toBe(true);
    expect(user.UserAttributes).toEqual([
      { Name: "sub", Value: out.UserSub },
      { Name: "email", Value: "alice@example.com" },
    ]);
    const messages = await outbox(url, poolId, "alice");
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({
      medium: "EMAIL",
      destination: "alice@example.com",
      reason: "SignUp",
    });
    expect(messages[0]?.code).toMatch(/^\d{6}$/);
    expect(messages[0]?.body).toContain(messages[0]?.code);
  });

  it("sends an SMS when both email and phone number are auto-verified", async () => {
    const { cognito } = get();
    const { clientId } = await emailPool({ AutoVerifiedAttributes: ["email", "phone_number"] });
    const out = await cognito.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: "bob",
        Password: PASSWORD,
        UserAttributes: attrs({ email: "bob@example.com", phone_number: "+15555550123" }),
      }),
    );
    expect(out.CodeDeliveryDetails).toEqual({
      Destination: "+*******0123",
      DeliveryMedium: "SMS",
      AttributeName: "phone_number",
    });
  });

  it("sends no code when the pool verifies nothing", async () => {
    const { cognito, url } = get();
    const poolId = await createPool(cognito);
    const { clientId } = await createClient(cognito, poolId);
    const out = await cognito.send(
      new SignUpCommand({ ClientId: clientId, Username: "carol", Password: PASSWORD }),
    );
    expect(out.UserConfirmed).toBe(false);
    expect(out.CodeDeliveryDetails).toBeUndefined();
    expect(await outbox(url, poolId, "carol")).toEqual([]);
  });

  it("validates members as the Smithy front end does", async () => {
    const { cognito } = get();
    const { clientId } = await emailPool();
    expect(
      await errorOf(cognito.send(new SignUpCommand({ ClientId: clientId, Password: PASSWORD } as never))),
    ).toEqual({
      name: "InvalidParameterException",
      message:
        "1 validation error detected: Value null at 'username' failed to satisfy constraint: Member must not be null",
    });
    expect(
      await errorOf(
        cognito.send(new SignUpCommand({ ClientId: clientId, Username: "a b", Password: PASSWORD })),
      ),
    ).toEqual({
      name: "InvalidParameterException",
      message:
        "1 validation error detected: Value at 'username' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+",
    });
  });

  it("refuses an unknown client", async () => {
    const { cognito } = get();
    expect(
      await errorOf(
        cognito.send(new SignUpCommand({ ClientId: "nosuchclient", Username: "x", Password: PASSWORD })),
      ),
    ).toEqual({
      name: "ResourceNotFoundException",
      message: "User pool client nosuchclient does not exist.",
    });
  });

  it("checks SECRET_HASH over the typed username", async () => {
    const { cognito } = get();
    const poolId = await createPool(cognito);
    const { clientId, secret } = await createClient(cognito, poolId, { GenerateSecret: true });
    if (!secret) throw new Error("no secret");
    const input = { ClientId: clientId, Username: "dave", Password: PASSWORD };
    expect(await errorOf(cognito.send(new SignUpCommand(input)))).toEqual({
      name: "NotAuthorizedException",
      message: `Client ${clientId} is configured with secret but SECRET_HASH was not received`,
    });
    expect(
      await errorOf(
        cognito.send(new SignUpCommand({ ...input, SecretHash: secretHash(secret, "other", clientId) })),
      ),
    ).toEqual({
      name: "NotAuthorizedException",
      message: `Unable to verify secret hash for client ${clientId}`,
    });
    const out = await cognito.send(
      new SignUpCommand({ ...input, SecretHash: secretHash(secret, "dave", clientId) }),
    );
    expect(out.UserSub).toMatch(UUID);
  });

  it("is refused when only administrators may create users", async () => {
    const { cognito } = get();
    const { clientId } = await emailPool({ AdminCreateUserConfig: { AllowAdminCreateUserOnly: true } });
    expect(
      await errorOf(
        cognito.send(new SignUpCommand({ ClientId: clientId, Username: "eve", Password: PASSWORD })),
      ),
    ).toEqual({
      name: "NotAuthorizedException",
      message: "SignUp is not permitted for this user pool",
    });
  });

  it("enforces the password policy", async () => {
    const { cognito } = get();
    const { clientId } = await emailPool();
    const cases: [string, string][] = [
      ["Pa1!", "Password not long enough"],
      ["password1!", "Password must have uppercase characters"],
      ["PASSWORD1!", "Password must have lowercase characters"],
      ["Password!!", "Password must have numeric characters"],
      ["Password12", "Password must have symbol characters"],
    ];
    for (const [password, reason] of cases) {
      expect(
        await errorOf(
          cognito.send(new SignUpCommand({ ClientId: clientId, Username: "frank", Password: password })),
        ),
      ).toEqual({
        name: "InvalidPasswordException",
        message: `Password did not conform with policy: ${reason}`,
      });
    }
  });

  it("checks attributes against the schema", async () => {
    const { cognito } = get();
    const { clientId } = await emailPool({
      Schema: [{ Name: "name", AttributeDataType: "String", Required: true, Mutable: true }],
    });
    const send = (attributes: Record<string, string>) =>
      cognito.send(
        new SignUpCommand({
          ClientId: clientId,
          Username: "gina",
          Password: PASSWORD,
          UserAttributes: attrs(attributes),
        }),
      );
    expect(await errorOf(send({ email: "g@example.com" }))).toEqual({
      name: "InvalidParameterException",
      message: "Attributes did not conform to the schema: name: The attribute name is required",
    });
    expect(await errorOf(send({ name: "Gina", "custom:nope": "x" }))).toEqual({
      name: "InvalidParameterException",
      message:
        "Attributes did not conform to the schema: custom:nope: Attribute does not exist in the schema.",
    });
    expect(await errorOf(send({ name: "Gina", email: "not-an-email" }))).toEqual({
      name: "InvalidParameterException",
      message: "Invalid email address format.",
    });
  });

  it("refuses a taken username, and lets exactly one of two concurrent sign-ups win", async () => {
    const { cognito } = get();
    const { poolId, clientId } = await emailPool();
    await cognito.send(new SignUpCommand({ ClientId: clientId, Username: "henry", Password: PASSWORD }));
    expect(
      await errorOf(
        cognito.send(new SignUpCommand({ ClientId: clientId, Username: "henry", Password: PASSWORD })),
      ),
    ).toEqual({
      name: "UsernameExistsException",
      message: "User already exists",
    });

    const results = await Promise.allSettled(
      Array.from({ length: 8 }, () =>
        cognito.send(new SignUpCommand({ ClientId: clientId, Username: "race", Password: PASSWORD })),
      ),
    );
    const won = results.filter((r) => r.status === "fulfilled");
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(won).toHaveLength(1);
    expect(lost.map((r) => [r.reason.name, r.reason.message])).toEqual(
      Array.from({ length: 7 }, () => ["UsernameExistsException", "User already exists"]),
    );
    expect(await statusOf(poolId, "race")).toBe("UNCONFIRMED");
  });

  it("gives email-as-username users a UUID username equal to their sub", async () => {
    const { cognito, url } = get();
    const { poolId, clientId } = await emailPool({ UsernameAttributes: ["email"] });
    expect(
      await errorOf(
        cognito.send(new SignUpCommand({ ClientId: clientId, Username: "ivan", Password: PASSWORD })),
      ),
    ).toEqual({
      name: "InvalidParameterException",
      message: "Username should be an email.",
    });
    const out = await cognito.send(
      new SignUpCommand({ ClientId: clientId, Username: "ivan@example.com", Password: PASSWORD }),
    );
    const user = await cognito.send(
      new AdminGetUserCommand({ UserPoolId: poolId, Username: "ivan@example.com" }),
    );
    expect(user.Username).toBe(out.UserSub);
    expect(user.UserAttributes).toContainEqual({ Name: "email", Value: "ivan@example.com" });
    expect(
      await errorOf(
        cognito.send(
          new SignUpCommand({ ClientId: clientId, Username: "ivan@example.com", Password: PASSWORD }),
        ),
      ),
    ).toEqual({
      name: "UsernameExistsException",
      message: "An account with the given email already exists.",
    });
    // The code is filed under the internal username and found by the email too.
    const code = await lastCode(url, poolId, "ivan@example.com");
    await cognito.send(
      new ConfirmSignUpCommand({ ClientId: clientId, Username: "ivan@example.com", ConfirmationCode: code }),
    );
    expect(await statusOf(poolId, out.UserSub ?? "")).toBe("CONFIRMED");
  });

  it("asks for an email or phone number when both are sign-in names", async () => {
    const { cognito } = get();
    const { clientId } = await emailPool({ UsernameAttributes: ["email", "phone_number"] });
    expect(
      await errorOf(
        cognito.send(new SignUpCommand({ ClientId: clientId, Username: "judy", Password: PASSWORD })),
      ),
    ).toEqual({
      name: "InvalidParameterException",
      message: "Username should be either an email or a phone number.",
    });
    const out = await cognito.send(
      new SignUpCommand({ ClientId: clientId, Username: "+15555550100", Password: PASSWORD }),
    );
    expect(out.UserSub).toMatch(UUID);
  });

  it("refuses an email-shaped username in pools with an email alias", async () => {
    const { cognito } = get();
    const { clientId } = await emailPool({ AliasAttributes: ["email"] });
    expect(
      await errorOf(
        cognito.send(
          new SignUpCommand({ ClientId: clientId, Username: "k@example.com", Password: PASSWORD }),
        ),
      ),
    ).toEqual({
      name: "InvalidParameterException",
      message: "Username cannot be of email format, since user pool is configured for email alias.",
    });
  });

  it("matches usernames without regard to case in case-insensitive pools", async () => {
    const { cognito, url } = get();
    const { poolId, clientId } = await emailPool({ UsernameConfiguration: { CaseSensitive: false } });
    await cognito.send(new SignUpCommand({ ClientId: clientId, Username: "Laura", Password: PASSWORD }));
    expect(
      await errorOf(
        cognito.send(new SignUpCommand({ ClientId: clientId, Username: "laura", Password: PASSWORD })),
      ),
    ).toEqual({
      name: "UsernameExistsException",
      message: "User already exists",
    });
    await cognito.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: "LAURA" }));
    const user = await cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "laura" }));
    expect(user.Username).toBe("Laura");
    expect(user.UserStatus).toBe("CONFIRMED");
    expect(await outbox(url, poolId, "lAuRa")).toEqual([]);
  });

  it("keeps usernames case-sensitive by default", async () => {
    const { cognito } = get();
    const { poolId, clientId } = await emailPool();
    await cognito.send(new SignUpCommand({ ClientId: clientId, Username: "Mike", Password: PASSWORD }));
    await cognito.send(new SignUpCommand({ ClientId: clientId, Username: "mike", Password: PASSWORD }));
    expect(
      await errorOf(cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "MIKE" }))),
    ).toEqual({
      name: "UserNotFoundException",
      message: "User does not exist.",
    });
  });
});

describe("SignUp triggers", () => {
  it("sends PreSignUp_SignUp the submitted attributes, validation data and client metadata", async () => {
    const { cognito } = get();
    const { poolId, clientId } = await emailPool({ UsernameAttributes: ["email"] });
    const out = await cognito.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: "nina@example.com",
        Password: PASSWORD,
        UserAttributes: attrs({ name: "Nina" }),
        ValidationData: attrs({ invite: "abc" }),
        ClientMetadata: { source: "test" },
      }),
    );
    const [event] = triggers.events(poolId, "PreSignUp_SignUp");
    expect(event).toEqual({
      version: "1",
      triggerSource: "PreSignUp_SignUp",
      region: "us-east-1",
      userPoolId: poolId,
      userName: out.UserSub,
      callerContext: { awsSdkVersion: expect.stringMatching(/^aws-sdk-js-3\./), clientId },
      request: {
        userAttributes: { name: "Nina", email: "nina@example.com" },
        validationData: { invite: "abc" },
        clientMetadata: { source: "test" },
      },
      response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
    });
    expect(triggers.events(poolId, "PostConfirmation_ConfirmSignUp")).toEqual([]);
  });

  it("passes null for absent validation data and client metadata", async () => {
    const { cognito } = get();
    const { poolId, clientId } = await emailPool();
    await cognito.send(new SignUpCommand({ ClientId: clientId, Username: "oscar", Password: PASSWORD }));
    const [event] = triggers.events(poolId, "PreSignUp_SignUp");
    expect(event?.request).toEqual({ userAttributes: {}, validationData: null, clientMetadata: null });
  });

  it("confirms and verifies at once when PreSignUp says so, then runs PostConfirmation", async () => {
    const { cognito, url } = get();
    const { poolId, clientId } = await emailPool();
    triggers.handlers.set("PreSignUp_SignUp", () => ({
      autoConfirmUser: true,
      autoVerifyEmail: true,
      autoVerifyPhone: false,
    }));
    const out = await cognito.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: "paul",
        Password: PASSWORD,
        UserAttributes: attrs({ email: "paul@example.com" }),
        ClientMetadata: { k: "v" },
      }),
    );
    expect(out.UserConfirmed).toBe(true);
    expect(out.CodeDeliveryDetails).toBeUndefined();
    expect(await outbox(url, poolId, "paul")).toEqual([]);
    expect(await statusOf(poolId, "paul")).toBe("CONFIRMED");
    expect((await attributesOf(poolId, "paul")).email_verified).toBe("true");
    const [post] = triggers.events(poolId, "PostConfirmation_ConfirmSignUp");
    expect(post).toMatchObject({
      userName: "paul",
      callerContext: { clientId },
      request: {
        userAttributes: {
          sub: out.UserSub,
          email: "paul@example.com",
          email_verified: "true",
          "cognito:user_status": "CONFIRMED",
        },
        clientMetadata: { k: "v" },
      },
      response: {},
    });
  });

  it("refuses auto-verification without auto-confirmation, and of an attribute that is not there", async () => {
    const { cognito } = get();
    const { poolId, clientId } = await emailPool();
    triggers.handlers.set("PreSignUp_SignUp", () => ({
      autoConfirmUser: false,
      autoVerifyEmail: true,
      autoVerifyPhone: false,
    }));
    const send = (username: string, attributes: Record<string, string>) =>
      cognito.send(
        new SignUpCommand({
          ClientId: clientId,
          Username: username,
          Password: PASSWORD,
          UserAttributes: attrs(attributes),
        }),
      );
    expect(await errorOf(send("quinn", { email: "q@example.com" }))).toEqual({
      name: "InvalidParameterException",
      message: "Phone or email cannot be auto verified, when user is not being auto confirmed.",
    });
    triggers.handlers.set("PreSignUp_SignUp", () => ({
      autoConfirmUser: true,
      autoVerifyEmail: false,
      autoVerifyPhone: true,
    }));
    expect(await errorOf(send("quinn", { email: "q@example.com" }))).toEqual({
      name: "InvalidParameterException",
      message: "Phone number cannot be auto verified, when phone_number attribute is not present.",
    });
    expect(
      await errorOf(cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "quinn" }))),
    ).toEqual({
      name: "UserNotFoundException",
      message: "User does not exist.",
    });
  });

  it("creates nobody when PreSignUp fails", async () => {
    const { cognito } = get();
    const { poolId, clientId } = await emailPool();
    triggers.handlers.set("PreSignUp_SignUp", () => {
      throw new CognitoError("UserLambdaValidationException", "PreSignUp failed with error not invited.");
    });
    expect(
      await errorOf(
        cognito.send(new SignUpCommand({ ClientId: clientId, Username: "rita", Password: PASSWORD })),
      ),
    ).toEqual({
      name: "UserLambdaValidationException",
      message: "PreSignUp failed with error not invited.",
    });
    expect(
      await errorOf(cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "rita" }))),
    ).toMatchObject({
      name: "UserNotFoundException",
    });
  });

  it("keeps an auto-confirmed user confirmed when PostConfirmation fails", async () => {
    const { cognito } = get();
    const { poolId, clientId } = await emailPool();
    triggers.handlers.set("PreSignUp_SignUp", () => ({
      autoConfirmUser: true,
      autoVerifyEmail: false,
      autoVerifyPhone: false,
    }));
    triggers.handlers.set("PostConfirmation_ConfirmSignUp", () => {
      throw new CognitoError("UserLambdaValidationException", "PostConfirmation failed with error boom.");
    });
    expect(
      await errorOf(
        cognito.send(new SignUpCommand({ ClientId: clientId, Username: "sam", Password: PASSWORD })),
      ),
    ).toEqual({
      name: "UserLambdaValidationException",
      message: "PostConfirmation failed with error boom.",
    });
    expect(await statusOf(poolId, "sam")).toBe("CONFIRMED");
  });

  it("moves an auto-verified email alias from its previous holder", async () => {
    const { cognito } = get();
    const { poolId, clientId } = await emailPool({ AliasAttributes: ["email"] });
    await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: "tom",
        UserAttributes: attrs({ email: "shared@example.com", email_verified: "true" }),
        MessageAction: "SUPPRESS",
      }),
    );
    expect(
      (await cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "shared@example.com" })))
        .Username,
    ).toBe("tom");
    triggers.handlers.set("PreSignUp_SignUp", () => ({
      autoConfirmUser: true,
      autoVerifyEmail: true,
      autoVerifyPhone: false,
    }));
    await cognito.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: "uma",
        Password: PASSWORD,
        UserAttributes: attrs({ email: "shared@example.com" }),
      }),
    );
    expect(
      (await cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "shared@example.com" })))
        .Username,
    ).toBe("uma");
    expect(await attributesOf(poolId, "tom")).toMatchObject({
      email: "shared@example.com",
      email_verified: "false",
    });
  });
});

describe("ConfirmSignUp", () => {
  async function signedUp(username: string, extra: Parameters<typeof createPool>[1] = {}) {
    const { cognito, url } = get();
    const pool = await emailPool(extra);
    await cognito.send(
      new SignUpCommand({
        ClientId: pool.clientId,
        Username: username,
        Password: PASSWORD,
        UserAttributes: attrs({ email: `${username}@example.com` }),
      }),
    );
    return { ...pool, code: await lastCode(url, pool.poolId, username) };
  }

  it("confirms the user, verifies the email and runs PostConfirmation", async () => {
    const { cognito } = get();
    const { poolId, clientId, code } = await signedUp("vera");
    const out = await cognito.send(
      new ConfirmSignUpCommand({
        ClientId: clientId,
        Username: "vera",
        ConfirmationCode: code,
        ClientMetadata: { via: "link" },
      }),
    );
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(await statusOf(poolId, "vera")).toBe("CONFIRMED");
    expect((await attributesOf(poolId, "vera")).email_verified).toBe("true");
    const [event] = triggers.events(poolId, "PostConfirmation_ConfirmSignUp");
    expect(event).toMatchObject({
      triggerSource: "PostConfirmation_ConfirmSignUp",
      userName: "vera",
      callerContext: { clientId },
      request: {
        userAttributes: {
          email: "vera@example.com",
          email_verified: "true",
          "cognito:user_status": "CONFIRMED",
        },
        clientMetadata: { via: "link" },
      },
    });
    expect(
      await errorOf(
        cognito.send(
          new ConfirmSignUpCommand({ ClientId: clientId, Username: "vera", ConfirmationCode: code }),
        ),
      ),
    ).toEqual({
      name: "NotAuthorizedException",
      message: "User cannot be confirmed. Current status is CONFIRMED",
    });
  });

  it("counts wrong codes and stops accepting any after five", async () => {
    const { cognito } = get();
    const { poolId, clientId, code } = await signedUp("walt");
    const attempt = (confirmationCode: string) =>
      errorOf(
        cognito.send(
          new ConfirmSignUpCommand({
            ClientId: clientId,
            Username: "walt",
            ConfirmationCode: confirmationCode,
          }),
        ),
      );
    for (let i = 0; i < 5; i++)
      expect(await attempt(wrong(code))).toEqual({
        name: "CodeMismatchException",
        message: "Invalid verification code provided, please try again.",
      });
    expect(await attempt(code)).toEqual({
      name: "LimitExceededException",
      message: "Attempt limit exceeded, please try after some time.",
    });
    expect(await statusOf(poolId, "walt")).toBe("UNCONFIRMED");
  });

  it("rejects a code older than 24 hours", async () => {
    const { cognito, clock } = get();
    const { clientId, code } = await signedUp("xena");
    clock.advance(24 * 3600 * 1000);
    expect(
      await errorOf(
        cognito.send(
          new ConfirmSignUpCommand({ ClientId: clientId, Username: "xena", ConfirmationCode: code }),
        ),
      ),
    ).toEqual({
      name: "ExpiredCodeException",
      message: "Invalid code provided, please request a code again.",
    });
  });

  it("accepts a code just before it expires", async () => {
    const { cognito, clock } = get();
    const { poolId, clientId, code } = await signedUp("yann");
    clock.advance(24 * 3600 * 1000 - 1000);
    await cognito.send(
      new ConfirmSignUpCommand({ ClientId: clientId, Username: "yann", ConfirmationCode: code }),
    );
    expect(await statusOf(poolId, "yann")).toBe("CONFIRMED");
  });

  it("reports an unknown user, or hides it as a wrong code with PreventUserExistenceErrors", async () => {
    const { cognito } = get();
    const { poolId, clientId } = await emailPool();
    expect(
      await errorOf(
        cognito.send(
          new ConfirmSignUpCommand({ ClientId: clientId, Username: "ghost", ConfirmationCode: "123456" }),
        ),
      ),
    ).toEqual({
      name: "UserNotFoundException",
      message: "User does not exist.",
    });
    const hidden = await createClient(cognito, poolId, { PreventUserExistenceErrors: "ENABLED" });
    expect(
      await errorOf(
        cognito.send(
          new ConfirmSignUpCommand({
            ClientId: hidden.clientId,
            Username: "ghost",
            ConfirmationCode: "123456",
          }),
        ),
      ),
    ).toEqual({
      name: "CodeMismatchException",
      message: "Invalid verification code provided, please try again.",
    });
  });

  it("refuses an email alias another user holds, unless ForceAliasCreation", async () => {
    const { cognito, url } = get();
    const { poolId, clientId } = await emailPool({ AliasAttributes: ["email"] });
    const signUp = async (username: string) => {
      await cognito.send(
        new SignUpCommand({
          ClientId: clientId,
          Username: username,
          Password: PASSWORD,
          UserAttributes: attrs({ email: "same@example.com" }),
        }),
      );
      return lastCode(url, poolId, username);
    };
    const first = await signUp("zoe");
    await cognito.send(
      new ConfirmSignUpCommand({ ClientId: clientId, Username: "zoe", ConfirmationCode: first }),
    );
    // The alias is not checked at sign-up: only a verified email is an alias.
    const second = await signUp("zack");
    expect(
      await errorOf(
        cognito.send(
          new ConfirmSignUpCommand({ ClientId: clientId, Username: "zack", ConfirmationCode: second }),
        ),
      ),
    ).toEqual({
      name: "AliasExistsException",
      message: "An account with the given email already exists.",
    });
    expect(await statusOf(poolId, "zack")).toBe("UNCONFIRMED");
    await cognito.send(
      new ConfirmSignUpCommand({
        ClientId: clientId,
        Username: "zack",
        ConfirmationCode: second,
        ForceAliasCreation: true,
      }),
    );
    expect(
      (await cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "same@example.com" })))
        .Username,
    ).toBe("zack");
    expect((await attributesOf(poolId, "zoe")).email_verified).toBe("false");
  });
});

describe("ResendConfirmationCode", () => {
  it("sends a new code that replaces the old one", async () => {
    const { cognito, url } = get();
    const { poolId, clientId } = await emailPool();
    await cognito.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: "amy",
        Password: PASSWORD,
        UserAttributes: attrs({ email: "amy@example.com" }),
      }),
    );
    const old = await lastCode(url, poolId, "amy");
    const out = await cognito.send(
      new ResendConfirmationCodeCommand({ ClientId: clientId, Username: "amy" }),
    );
    expect(out.CodeDeliveryDetails).toEqual({
      Destination: "a***@e***",
      DeliveryMedium: "EMAIL",
      AttributeName: "email",
    });
    const messages = await outbox(url, poolId, "amy");
    expect(messages.map((m) => m.reason)).toEqual(["SignUp", "ResendCode"]);
    const fresh = await lastCode(url, poolId, "amy");
    if (fresh !== old) {
      expect(
        await errorOf(
          cognito.send(
            new ConfirmSignUpCommand({ ClientId: clientId, Username: "amy", ConfirmationCode: old }),
          ),
        ),
      ).toMatchObject({
        name: "CodeMismatchException",
      });
    }
    await cognito.send(
      new ConfirmSignUpCommand({ ClientId: clientId, Username: "amy", ConfirmationCode: fresh }),
    );
    expect(
      await errorOf(cognito.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: "amy" }))),
    ).toEqual({
      name: "InvalidParameterException",
      message: "User is already confirmed.",
    });
  });

  it("allows five resends an hour", async () => {
    const { cognito, clock } = get();
    const { clientId } = await emailPool();
    await cognito.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: "ben",
        Password: PASSWORD,
        UserAttributes: attrs({ email: "ben@example.com" }),
      }),
    );
    for (let i = 0; i < 5; i++)
      await cognito.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: "ben" }));
    expect(
      await errorOf(cognito.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: "ben" }))),
    ).toEqual({
      name: "LimitExceededException",
      message: "Attempt limit exceeded, please try after some time.",
    });
    clock.advance(3600 * 1000 + 1);
    await cognito.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: "ben" }));
  });

  it("reports unknown users, or answers with a simulated destination under PreventUserExistenceErrors", async () => {
    const { cognito } = get();
    const { poolId, clientId } = await emailPool();
    expect(
      await errorOf(
        cognito.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: "nobody" })),
      ),
    ).toEqual({
      name: "UserNotFoundException",
      message: "Username/client id combination not found.",
    });
    const hidden = await createClient(cognito, poolId, { PreventUserExistenceErrors: "ENABLED" });
    const out = await cognito.send(
      new ResendConfirmationCodeCommand({ ClientId: hidden.clientId, Username: "nobody@example.org" }),
    );
    expect(out.CodeDeliveryDetails).toEqual({
      Destination: "n***@e***",
      DeliveryMedium: "EMAIL",
      AttributeName: "email",
    });
    const again = await cognito.send(
      new ResendConfirmationCodeCommand({ ClientId: hidden.clientId, Username: "nobody" }),
    );
    const twice = await cognito.send(
      new ResendConfirmationCodeCommand({ ClientId: hidden.clientId, Username: "nobody" }),
    );
    expect(again.CodeDeliveryDetails).toMatchObject({ DeliveryMedium: "EMAIL", AttributeName: "email" });
    expect(again.CodeDeliveryDetails?.Destination).toMatch(/^[a-z]\*\*\*@[a-z]\*\*\*$/);
    expect(twice.CodeDeliveryDetails).toEqual(again.CodeDeliveryDetails);
  });

  it("cannot resend when the pool verifies nothing", async () => {
    const { cognito } = get();
    const poolId = await createPool(cognito);
    const { clientId } = await createClient(cognito, poolId);
    await cognito.send(new SignUpCommand({ ClientId: clientId, Username: "cleo", Password: PASSWORD }));
    expect(
      await errorOf(
        cognito.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: "cleo" })),
      ),
    ).toEqual({
      name: "InvalidParameterException",
      message: "Cannot resend codes. Auto verification not turned on.",
    });
  });
});

describe("AdminConfirmSignUp", () => {
  it("confirms without verifying attributes and runs PostConfirmation with no client", async () => {
    const { cognito } = get();
    const { poolId, clientId } = await emailPool();
    await cognito.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: "dora",
        Password: PASSWORD,
        UserAttributes: attrs({ email: "dora@example.com" }),
      }),
    );
    await cognito.send(
      new AdminConfirmSignUpCommand({
        UserPoolId: poolId,
        Username: "dora",
        ClientMetadata: { by: "admin" },
      }),
    );
    expect(await statusOf(poolId, "dora")).toBe("CONFIRMED");
    expect((await attributesOf(poolId, "dora")).email_verified).toBeUndefined();
    const [event] = triggers.events(poolId, "PostConfirmation_ConfirmSignUp");
    expect(event).toMatchObject({
      callerContext: { clientId: "CLIENT_ID_NOT_APPLICABLE" },
      request: { clientMetadata: { by: "admin" }, userAttributes: { "cognito:user_status": "CONFIRMED" } },
    });
    expect(
      await errorOf(cognito.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: "dora" }))),
    ).toEqual({
      name: "NotAuthorizedException",
      message: "User cannot be confirmed. Current status is CONFIRMED",
    });
  });

  it("reports unknown users and pools", async () => {
    const { cognito } = get();
    const { poolId } = await emailPool();
    expect(
      await errorOf(cognito.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: "nobody" }))),
    ).toEqual({
      name: "UserNotFoundException",
      message: "User does not exist.",
    });
    expect(
      await errorOf(
        cognito.send(new AdminConfirmSignUpCommand({ UserPoolId: "us-east-1_nothere", Username: "x" })),
      ),
    ).toEqual({
      name: "ResourceNotFoundException",
      message: "User pool us-east-1_nothere does not exist.",
    });
  });
});
