// The access-token user actions: GetUser, UpdateUserAttributes, codes and verification, deletes, ChangePassword.
import {
  type AuthenticationResultType,
  ChangePasswordCommand,
  DeleteUserAttributesCommand,
  DeleteUserCommand,
  GetUserAttributeVerificationCodeCommand,
  GetUserCommand,
  UpdateUserAttributesCommand,
  VerifyUserAttributeCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { describe, expect, it } from "vitest";
import { errorOf, useTestServer } from "../../helpers/server.js";
import {
  createClient,
  createPool,
  createUser,
  decodePayload,
  OTHER_PASSWORD,
  PASSWORD,
  passwordSignIn,
  unique,
} from "./auth-fixtures.js";

const get = useTestServer();

async function setup(
  options: {
    pool?: Parameters<typeof createPool>[1];
    client?: Parameters<typeof createClient>[2];
    username?: string;
  } = {},
) {
  const { cognito, url } = get();
  const poolId = await createPool(cognito, { AutoVerifiedAttributes: ["email"], ...options.pool });
  const { clientId } = await createClient(cognito, poolId, options.client);
  const username = options.username ?? unique("user");
  await createUser(cognito, poolId, username, {
    attributes: [
      { Name: "email", Value: `${username}@example.com` },
      { Name: "email_verified", Value: "true" },
      { Name: "name", Value: "Tess" },
    ],
  });
  const tokens = (await passwordSignIn(cognito, clientId, username))
    .AuthenticationResult as AuthenticationResultType;
  const token = tokens.AccessToken as string;
  return { cognito, url, poolId, clientId, username, token };
}

async function outbox(url: string, poolId: string, username: string) {
  const res = await fetch(
    `${url}/_local/outbox?userPoolId=${poolId}&username=${encodeURIComponent(username)}`,
  );
  return (
    (await res.json()) as {
      messages: { code?: string; reason: string; destination: string; medium: string }[];
    }
  ).messages;
}

/** A new access token (the old one expires with the hour the limit tests wait). */
const freshToken = async (cognito: ReturnType<typeof get>["cognito"], clientId: string, username: string) =>
  ((await passwordSignIn(cognito, clientId, username)).AuthenticationResult as AuthenticationResultType)
    .AccessToken as string;

const attributesOf = async (cognito: ReturnType<typeof get>["cognito"], token: string) =>
  Object.fromEntries(
    ((await cognito.send(new GetUserCommand({ AccessToken: token }))).UserAttributes ?? []).map((a) => [
      a.Name,
      a.Value,
    ]),
  );

describe("GetUser", () => {
  it("returns the username and attributes, sub first", async () => {
    const { cognito, username, token } = await setup();
    const out = await cognito.send(new GetUserCommand({ AccessToken: token }));
    expect(out.Username).toBe(username);
    expect(out.UserAttributes?.[0]?.Name).toBe("sub");
    expect(out.UserAttributes?.[0]?.Value).toBe(decodePayload(token).sub);
    expect(Object.fromEntries((out.UserAttributes ?? []).map((a) => [a.Name, a.Value]))).toMatchObject({
      email: `${username}@example.com`,
      email_verified: "true",
      name: "Tess",
    });
  });

  it("shows only the client's ReadAttributes", async () => {
    const { cognito, token } = await setup({ client: { ReadAttributes: ["name"] } });
    expect(await attributesOf(cognito, token)).toEqual({ sub: decodePayload(token).sub, name: "Tess" });
  });

  it("validates AccessToken as Smithy does", async () => {
    const { cognito } = get();
    expect(await errorOf(cognito.send(new GetUserCommand({ AccessToken: "has spaces" })))).toEqual({
      name: "InvalidParameterException",
      message:
        "1 validation error detected: Value at 'accessToken' failed to satisfy constraint: Member must satisfy regular expression pattern: [A-Za-z0-9-_=.]+",
    });
  });
});

describe("UpdateUserAttributes", () => {
  it("changes plain attributes without sending anything", async () => {
    const { cognito, url, poolId, username, token } = await setup();
    const out = await cognito.send(
      new UpdateUserAttributesCommand({
        AccessToken: token,
        UserAttributes: [{ Name: "name", Value: "Tessa" }],
      }),
    );
    expect(out.CodeDeliveryDetailsList).toBeUndefined();
    expect((await attributesOf(cognito, token)).name).toBe("Tessa");
    expect(await outbox(url, poolId, username)).toEqual([]);
  });

  it("unverifies a changed email and sends a code to the new address", async () => {
    const { cognito, url, poolId, username, token } = await setup();
    const out = await cognito.send(
      new UpdateUserAttributesCommand({
        AccessToken: token,
        UserAttributes: [{ Name: "email", Value: "new@example.org" }],
      }),
    );
    expect(out.CodeDeliveryDetailsList).toEqual([
      { Destination: "n***@e***", DeliveryMedium: "EMAIL", AttributeName: "email" },
    ]);
    expect(await attributesOf(cognito, token)).toMatchObject({
      email: "new@example.org",
      email_verified: "false",
    });
    const messages = await outbox(url, poolId, username);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({
      reason: "UpdateUserAttribute",
      destination: "new@example.org",
      medium: "EMAIL",
    });
    expect(messages[0]?.code).toMatch(/^\d{6}$/);
    await cognito.send(
      new VerifyUserAttributeCommand({
        AccessToken: token,
        AttributeName: "email",
        Code: messages[0]?.code as string,
      }),
    );
    expect((await attributesOf(cognito, token)).email_verified).toBe("true");
  });

  it("refuses *_verified, unknown attributes and attributes the client may not write", async () => {
    const { cognito, token } = await setup();
    expect(
      await errorOf(
        cognito.send(
          new UpdateUserAttributesCommand({
            AccessToken: token,
            UserAttributes: [{ Name: "email_verified", Value: "true" }],
          }),
        ),
      ),
    ).toEqual({
      name: "InvalidParameterException",
      message: "Attributes did not conform to the schema: email_verified: Attribute cannot be updated.",
    });
    expect(
      await errorOf(
        cognito.send(
          new UpdateUserAttributesCommand({
            AccessToken: token,
            UserAttributes: [{ Name: "custom:nope", Value: "x" }],
          }),
        ),
      ),
    ).toEqual({
      name: "InvalidParameterException",
      message:
        "Attributes did not conform to the schema: custom:nope: Attribute does not exist in the schema.",
    });
    const limited = await setup({ client: { WriteAttributes: ["name"] } });
    expect(
      await errorOf(
        limited.cognito.send(
          new UpdateUserAttributesCommand({
            AccessToken: limited.token,
            UserAttributes: [{ Name: "email", Value: "a@b.co" }],
          }),
        ),
      ),
    ).toEqual({
      name: "NotAuthorizedException",
      message: "A client attempted to write unauthorized attribute",
    });
  });
});

describe("attribute verification", () => {
  it("sends a code (VerifyUserAttribute) and verifies with it once", async () => {
    const { cognito, url, poolId, username, token } = await setup();
    await cognito.send(
      new UpdateUserAttributesCommand({
        AccessToken: token,
        UserAttributes: [{ Name: "email", Value: "other@example.net" }],
      }),
    );
    const out = await cognito.send(
      new GetUserAttributeVerificationCodeCommand({ AccessToken: token, AttributeName: "email" }),
    );
    expect(out.CodeDeliveryDetails).toEqual({
      Destination: "o***@e***",
      DeliveryMedium: "EMAIL",
      AttributeName: "email",
    });
    const messages = await outbox(url, poolId, username);
    const last = messages.at(-1);
    expect(last?.reason).toBe("VerifyUserAttribute");
    // The newer code replaced the one UpdateUserAttributes sent.
    const older = messages.at(-2)?.code as string;
    if (older !== last?.code)
      expect(
        await errorOf(
          cognito.send(
            new VerifyUserAttributeCommand({ AccessToken: token, AttributeName: "email", Code: older }),
          ),
        ),
      ).toEqual({
        name: "CodeMismatchException",
        message: "Invalid verification code provided, please try again.",
      });
    await cognito.send(
      new VerifyUserAttributeCommand({
        AccessToken: token,
        AttributeName: "email",
        Code: last?.code as string,
      }),
    );
    expect((await attributesOf(cognito, token)).email_verified).toBe("true");
    expect(
      await errorOf(
        cognito.send(
          new VerifyUserAttributeCommand({
            AccessToken: token,
            AttributeName: "email",
            Code: last?.code as string,
          }),
        ),
      ),
    ).toEqual({
      name: "ExpiredCodeException",
      message: "Invalid code provided, please request a code again.",
    });
  });

  it("counts wrong codes, then refuses even the right one", async () => {
    const { cognito, url, poolId, username, token } = await setup();
    await cognito.send(
      new GetUserAttributeVerificationCodeCommand({ AccessToken: token, AttributeName: "email" }),
    );
    const code = (await outbox(url, poolId, username)).at(-1)?.code as string;
    const wrong = code === "000000" ? "111111" : "000000";
    for (let i = 0; i < 5; i++)
      expect(
        await errorOf(
          cognito.send(
            new VerifyUserAttributeCommand({ AccessToken: token, AttributeName: "email", Code: wrong }),
          ),
        ),
      ).toEqual({
        name: "CodeMismatchException",
        message: "Invalid verification code provided, please try again.",
      });
    expect(
      await errorOf(
        cognito.send(
          new VerifyUserAttributeCommand({ AccessToken: token, AttributeName: "email", Code: code }),
        ),
      ),
    ).toEqual({
      name: "LimitExceededException",
      message: "Attempt limit exceeded, please try after some time.",
    });
  });

  it("limits code requests to five an hour", async () => {
    const { cognito, clientId, username, token } = await setup();
    const { clock } = get();
    for (let i = 0; i < 5; i++)
      await cognito.send(
        new GetUserAttributeVerificationCodeCommand({ AccessToken: token, AttributeName: "email" }),
      );
    expect(
      await errorOf(
        cognito.send(
          new GetUserAttributeVerificationCodeCommand({ AccessToken: token, AttributeName: "email" }),
        ),
      ),
    ).toEqual({
      name: "LimitExceededException",
      message: "Attempt limit exceeded, please try after some time.",
    });
    clock.advance(3_600_000);
    const fresh = await freshToken(cognito, clientId, username);
    await cognito.send(
      new GetUserAttributeVerificationCodeCommand({ AccessToken: fresh, AttributeName: "email" }),
    );
  });

  it("makes a verified alias a sign-in name, and refuses one another user holds", async () => {
    const { cognito } = get();
    const poolId = await createPool(cognito, {
      AliasAttributes: ["email"],
      AutoVerifiedAttributes: ["email"],
    });
    const { clientId } = await createClient(cognito, poolId);
    await createUser(cognito, poolId, "uma", {
      attributes: [
        { Name: "email", Value: "shared@example.com" },
        { Name: "email_verified", Value: "true" },
      ],
    });
    await createUser(cognito, poolId, "vic", { attributes: [{ Name: "email", Value: "vic@example.com" }] });
    const token = (
      (await passwordSignIn(cognito, clientId, "vic")).AuthenticationResult as AuthenticationResultType
    ).AccessToken as string;
    const url = get().url;

    await cognito.send(
      new GetUserAttributeVerificationCodeCommand({ AccessToken: token, AttributeName: "email" }),
    );
    const code = (await outbox(url, poolId, "vic")).at(-1)?.code as string;
    await cognito.send(
      new VerifyUserAttributeCommand({ AccessToken: token, AttributeName: "email", Code: code }),
    );
    const byAlias = await passwordSignIn(cognito, clientId, "vic@example.com");
    expect(decodePayload(byAlias.AuthenticationResult?.AccessToken as string).username).toBe("vic");

    await cognito.send(
      new UpdateUserAttributesCommand({
        AccessToken: token,
        UserAttributes: [{ Name: "email", Value: "shared@example.com" }],
      }),
    );
    const second = (await outbox(url, poolId, "vic")).at(-1)?.code as string;
    expect(
      await errorOf(
        cognito.send(
          new VerifyUserAttributeCommand({ AccessToken: token, AttributeName: "email", Code: second }),
        ),
      ),
    ).toEqual({
      name: "AliasExistsException",
      message: "An account with the given email already exists.",
    });
  });
});

describe("DeleteUserAttributes", () => {
  it("removes attributes, with their verified flag", async () => {
    const { cognito, token } = await setup();
    await cognito.send(
      new DeleteUserAttributesCommand({ AccessToken: token, UserAttributeNames: ["name", "email"] }),
    );
    const attributes = await attributesOf(cognito, token);
    expect(attributes.name).toBeUndefined();
    expect(attributes.email).toBeUndefined();
    expect(attributes.email_verified).toBeUndefined();
    expect(
      await errorOf(
        cognito.send(
          new DeleteUserAttributesCommand({ AccessToken: token, UserAttributeNames: ["custom:nope"] }),
        ),
      ),
    ).toEqual({
      name: "InvalidParameterException",
      message:
        "Attributes did not conform to the schema: custom:nope: Attribute does not exist in the schema.",
    });
  });
});

describe("DeleteUser", () => {
  it("deletes the caller; their token then names nobody", async () => {
    const { cognito, clientId, username, token } = await setup();
    expect(await cognito.send(new DeleteUserCommand({ AccessToken: token }))).toMatchObject({});
    expect(await errorOf(cognito.send(new GetUserCommand({ AccessToken: token })))).toEqual({
      name: "UserNotFoundException",
      message: "User does not exist.",
    });
    expect(await errorOf(passwordSignIn(cognito, clientId, username))).toEqual({
      name: "UserNotFoundException",
      message: "User does not exist.",
    });
  });
});

describe("ChangePassword", () => {
  it("needs the current password and a password the policy accepts", async () => {
    const { cognito, clientId, username, token } = await setup();
    expect(
      await errorOf(
        cognito.send(
          new ChangePasswordCommand({
            AccessToken: token,
            PreviousPassword: "Wr0ng-password",
            ProposedPassword: OTHER_PASSWORD,
          }),
        ),
      ),
    ).toEqual({ name: "NotAuthorizedException", message: "Incorrect username or password." });
    expect(
      await errorOf(
        cognito.send(
          new ChangePasswordCommand({
            AccessToken: token,
            PreviousPassword: PASSWORD,
            ProposedPassword: "nouppercase1!",
          }),
        ),
      ),
    ).toEqual({
      name: "InvalidPasswordException",
      message: "Password does not conform to policy: Password must have uppercase characters",
    });
    await cognito.send(
      new ChangePasswordCommand({
        AccessToken: token,
        PreviousPassword: PASSWORD,
        ProposedPassword: OTHER_PASSWORD,
      }),
    );
    expect(await errorOf(passwordSignIn(cognito, clientId, username))).toEqual({
      name: "NotAuthorizedException",
      message: "Incorrect username or password.",
    });
    expect(
      (await passwordSignIn(cognito, clientId, username, OTHER_PASSWORD)).AuthenticationResult,
    ).toBeDefined();
    // The tokens of the session that changed the password keep working.
    expect((await cognito.send(new GetUserCommand({ AccessToken: token }))).Username).toBe(username);
  });

  it("limits wrong attempts to five an hour", async () => {
    const { cognito, clientId, username, token } = await setup();
    const { clock } = get();
    const wrong = () =>
      cognito.send(
        new ChangePasswordCommand({
          AccessToken: token,
          PreviousPassword: "Wr0ng-password",
          ProposedPassword: OTHER_PASSWORD,
        }),
      );
    for (let i = 0; i < 5; i++) expect((await errorOf(wrong())).name).toBe("NotAuthorizedException");
    const right = (accessToken: string) =>
      cognito.send(
        new ChangePasswordCommand({
          AccessToken: accessToken,
          PreviousPassword: PASSWORD,
          ProposedPassword: OTHER_PASSWORD,
        }),
      );
    expect(await errorOf(right(token))).toEqual({
      name: "LimitExceededException",
      message: "Attempt limit exceeded, please try after some time.",
    });
    clock.advance(3_600_000);
    await right(await freshToken(cognito, clientId, username));
  });
});
