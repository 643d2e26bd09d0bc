// The admin user lifecycle through the SDK: create/invite, get, delete, disable/enable, attribute changes.
import {
  AdminCreateUserCommand,
  AdminDeleteUserAttributesCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminUpdateUserAttributesCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { beforeEach, describe, expect, it } from "vitest";
import { checkPasswordPolicy } from "../../../src/cognito/domain/password-policy.js";
import { CognitoError } from "../../../src/cognito/errors.js";
import { errorOf, useTestServer } from "../../helpers/server.js";
import {
  ALL_TRIGGERS,
  createClient,
  createPool,
  outbox,
  PASSWORD,
  ScriptedTriggers,
  UUID,
} from "./signup-helpers.js";

const triggers = new ScriptedTriggers();
const get = useTestServer({ triggers });

beforeEach(() => triggers.reset());

const attrs = (map: Record<string, string>) => Object.entries(map).map(([Name, Value]) => ({ Name, Value }));

interface Setup {
  poolId: string;
  clientId: string;
}

async function setup(pool: Parameters<typeof createPool>[1] = {}): Promise<Setup> {
  const { cognito } = get();
  const poolId = await createPool(cognito, {
    AutoVerifiedAttributes: ["email"],
    LambdaConfig: ALL_TRIGGERS,
    ...pool,
  });
  const { clientId } = await createClient(cognito, poolId, {
    ExplicitAuthFlows: ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
  });
  return { poolId, clientId };
}

async function signIn(s: Setup, username: string, password: string): Promise<string> {
  try {
    const out = await get().cognito.send(
      new AdminInitiateAuthCommand({
        UserPoolId: s.poolId,
        ClientId: s.clientId,
        AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: username, PASSWORD: password },
      }),
    );
    return out.AuthenticationResult ? "tokens" : `challenge ${out.ChallengeName}`;
  } catch (error) {
    return `${(error as Error).name}: ${(error as Error).message}`;
  }
}

async function attributesOf(poolId: string, username: string): Promise<Record<string, string>> {
  const user = await get().cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
  return Object.fromEntries((user.UserAttributes ?? []).map((a) => [a.Name ?? "", a.Value ?? ""]));
}

describe("AdminCreateUser", () => {
  it("creates a FORCE_CHANGE_PASSWORD user and emails the invitation with a generated temporary password", async () => {
    const { cognito, url, clock } = get();
    const s = await setup();
    const out = await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: s.poolId,
        Username: "alice",
        UserAttributes: attrs({ email: "alice@example.com", name: "Alice" }),
        DesiredDeliveryMediums: ["EMAIL"],
      }),
    );
    const user = out.User;
    expect(user?.Username).toBe("alice");
    expect(user?.UserStatus).toBe("FORCE_CHANGE_PASSWORD");
    expect(user?.Enabled).toBe(true);
    expect(user?.UserCreateDate).toEqual(new Date(clock.ms));
    expect(user?.UserLastModifiedDate).toEqual(new Date(clock.ms));
    expect(user?.Attributes?.[0]?.Name).toBe("sub");
    expect(user?.Attributes?.[0]?.Value).toMatch(UUID);
    expect(user?.Attributes?.slice(1)).toEqual(attrs({ email: "alice@example.com", name: "Alice" }));

    const messages = await outbox(url, s.poolId, "alice");
    expect(messages).toHaveLength(1);
    const [invite] = messages;
    expect(invite).toMatchObject({
      reason: "AdminCreateUser",
      medium: "EMAIL",
      destination: "alice@example.com",
    });
    const temporary = invite?.code ?? "";
    expect(
      checkPasswordPolicy(temporary, {
        MinimumLength: 8,
        RequireUppercase: true,
        RequireLowercase: true,
        RequireNumbers: true,
        RequireSymbols: true,
      }),
    ).toBeUndefined();
    expect(invite?.body).toContain("alice");
    expect(invite?.body).toContain(temporary);
    expect(await signIn(s, "alice", temporary)).toBe("challenge NEW_PASSWORD_REQUIRED");
  });

  it("uses the temporary password given, after checking it against the policy", async () => {
    const { cognito } = get();
    const s = await setup();
    expect(
      await errorOf(
        cognito.send(
          new AdminCreateUserCommand({
            UserPoolId: s.poolId,
            Username: "bob",
            TemporaryPassword: "lowercase1!",
          }),
        ),
      ),
    ).toEqual({
      name: "InvalidPasswordException",
      message: "Password did not conform with password policy: Password must have uppercase characters",
    });
    await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: s.poolId,
        Username: "bob",
        TemporaryPassword: PASSWORD,
        MessageAction: "SUPPRESS",
      }),
    );
    expect(await signIn(s, "bob", PASSWORD)).toBe("challenge NEW_PASSWORD_REQUIRED");
  });

  it("invites by SMS by default, and only where the user has an address", async () => {
    const { cognito, url } = get();
    const s = await setup();
    await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: s.poolId,
        Username: "carl",
        UserAttributes: attrs({ phone_number: "+15555550199" }),
      }),
    );
    expect((await outbox(url, s.poolId, "carl")).map((m) => [m.medium, m.destination])).toEqual([
      ["SMS", "+15555550199"],
    ]);

    await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: s.poolId,
        Username: "cleo",
        UserAttributes: attrs({ email: "cleo@example.com" }),
      }),
    );
    expect(await outbox(url, s.poolId, "cleo")).toEqual([]);

    await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: s.poolId,
        Username: "cody",
        UserAttributes: attrs({ email: "cody@example.com", phone_number: "+15555550198" }),
        DesiredDeliveryMediums: ["EMAIL", "SMS"],
      }),
    );
    const both = await outbox(url, s.poolId, "cody");
    expect(both.map((m) => m.medium)).toEqual(["EMAIL", "SMS"]);
    expect(both[0]?.code).toBe(both[1]?.code);

    expect(
      await errorOf(
        cognito.send(
          new AdminCreateUserCommand({
            UserPoolId: s.poolId,
            Username: "cole",
            DesiredDeliveryMediums: ["EMAIL"],
          }),
        ),
      ),
    ).toEqual({
      name: "InvalidParameterException",
      message: "No email provided but desired delivery medium was Email",
    });
  });

  it("sends nothing with MessageAction SUPPRESS", async () => {
    const { cognito, url } = get();
    const s = await setup();
    await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: s.poolId,
        Username: "dana",
        UserAttributes: attrs({ email: "dana@example.com" }),
        DesiredDeliveryMediums: ["EMAIL"],
        MessageAction: "SUPPRESS",
      }),
    );
    expect(await outbox(url, s.poolId, "dana")).toEqual([]);
  });

  it("resends an invitation with a new temporary password only to invited users", async () => {
    const { cognito, url } = get();
    const s = await setup();
    const invite = { UserPoolId: s.poolId, Username: "eric", DesiredDeliveryMediums: ["EMAIL" as const] };
    await cognito.send(
      new AdminCreateUserCommand({ ...invite, UserAttributes: attrs({ email: "eric@example.com" }) }),
    );
    const [first] = await outbox(url, s.poolId, "eric");
    const out = await cognito.send(new AdminCreateUserCommand({ ...invite, MessageAction: "RESEND" }));
    expect(out.User?.UserStatus).toBe("FORCE_CHANGE_PASSWORD");
    const messages = await outbox(url, s.poolId, "eric");
    expect(messages.map((m) => m.reason)).toEqual(["AdminCreateUser", "AdminCreateUser"]);
    const second = messages[1]?.code ?? "";
    expect(await signIn(s, "eric", second)).toBe("challenge NEW_PASSWORD_REQUIRED");
    if (second !== first?.code)
      expect(await signIn(s, "eric", first?.code ?? "")).toMatch(/^NotAuthorizedException/);

    expect(
      await errorOf(
        cognito.send(
          new AdminCreateUserCommand({ UserPoolId: s.poolId, Username: "nobody", MessageAction: "RESEND" }),
        ),
      ),
    ).toEqual({ name: "UserNotFoundException", message: "User does not exist." });
    await cognito.send(new SignUpCommand({ ClientId: s.clientId, Username: "erin", Password: PASSWORD }));
    expect(
      await errorOf(
        cognito.send(
          new AdminCreateUserCommand({ UserPoolId: s.poolId, Username: "erin", MessageAction: "RESEND" }),
        ),
      ),
    ).toEqual({
      name: "UnsupportedUserStateException",
      message: "Resend not possible. erin status is not FORCE_CHANGE_PASSWORD",
    });
  });

  it("refuses an existing username", async () => {
    const { cognito } = get();
    const s = await setup();
    await cognito.send(
      new AdminCreateUserCommand({ UserPoolId: s.poolId, Username: "fay", MessageAction: "SUPPRESS" }),
    );
    expect(
      await errorOf(cognito.send(new AdminCreateUserCommand({ UserPoolId: s.poolId, Username: "fay" }))),
    ).toEqual({
      name: "UsernameExistsException",
      message: "User account already exists",
    });
  });

  it("creates email-as-username users under a UUID", async () => {
    const { cognito } = get();
    const s = await setup({ UsernameAttributes: ["email"] });
    expect(
      await errorOf(cognito.send(new AdminCreateUserCommand({ UserPoolId: s.poolId, Username: "gus" }))),
    ).toEqual({
      name: "InvalidParameterException",
      message: "Username should be an email.",
    });
    const out = await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: s.poolId,
        Username: "gus@example.com",
        UserAttributes: attrs({ email_verified: "true" }),
        MessageAction: "SUPPRESS",
      }),
    );
    const sub = out.User?.Attributes?.find((a) => a.Name === "sub")?.Value;
    expect(out.User?.Username).toBe(sub);
    expect(await attributesOf(s.poolId, "gus@example.com")).toMatchObject({
      sub,
      email: "gus@example.com",
      email_verified: "true",
    });
    expect(
      await errorOf(
        cognito.send(new AdminCreateUserCommand({ UserPoolId: s.poolId, Username: "gus@example.com" })),
      ),
    ).toEqual({
      name: "UsernameExistsException",
      message: "An account with the given email already exists.",
    });
  });

  it("refuses a verified alias another user holds unless ForceAliasCreation", async () => {
    const { cognito } = get();
    const s = await setup({ AliasAttributes: ["email"] });
    const create = (username: string, force?: boolean) =>
      cognito.send(
        new AdminCreateUserCommand({
          UserPoolId: s.poolId,
          Username: username,
          UserAttributes: attrs({ email: "team@example.com", email_verified: "true" }),
          MessageAction: "SUPPRESS",
          ForceAliasCreation: force,
        }),
      );
    await create("hal");
    expect(await errorOf(create("hugo"))).toEqual({
      name: "AliasExistsException",
      message: "An account with the given email already exists.",
    });
    await create("hugo", true);
    expect(
      (await cognito.send(new AdminGetUserCommand({ UserPoolId: s.poolId, Username: "team@example.com" })))
        .Username,
    ).toBe("hugo");
    expect(await attributesOf(s.poolId, "hal")).toMatchObject({
      email: "team@example.com",
      email_verified: "false",
    });
  });

  it("runs PreSignUp_AdminCreateUser, ignoring its flags but not its failure", async () => {
    const { cognito } = get();
    const s = await setup();
    triggers.handlers.set("PreSignUp_AdminCreateUser", () => ({
      autoConfirmUser: true,
      autoVerifyEmail: true,
      autoVerifyPhone: false,
    }));
    await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: s.poolId,
        Username: "iris",
        UserAttributes: attrs({ email: "iris@example.com" }),
        ValidationData: attrs({ ticket: "42" }),
        ClientMetadata: { by: "ops" },
        MessageAction: "SUPPRESS",
      }),
    );
    const [event] = triggers.events(s.poolId, "PreSignUp_AdminCreateUser");
    expect(event).toMatchObject({
      version: "1",
      userName: "iris",
      callerContext: { clientId: "CLIENT_ID_NOT_APPLICABLE" },
      request: {
        userAttributes: { email: "iris@example.com" },
        validationData: { ticket: "42" },
        clientMetadata: { by: "ops" },
      },
      response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
    });
    const user = await cognito.send(new AdminGetUserCommand({ UserPoolId: s.poolId, Username: "iris" }));
    expect(user.UserStatus).toBe("FORCE_CHANGE_PASSWORD");
    expect(user.UserAttributes?.find((a) => a.Name === "email_verified")).toBeUndefined();
    expect(triggers.events(s.poolId, "PostConfirmation_ConfirmSignUp")).toEqual([]);

    triggers.handlers.set("PreSignUp_AdminCreateUser", () => {
      throw new CognitoError("UserLambdaValidationException", "PreSignUp failed with error no.");
    });
    expect(
      await errorOf(cognito.send(new AdminCreateUserCommand({ UserPoolId: s.poolId, Username: "ivan" }))),
    ).toEqual({
      name: "UserLambdaValidationException",
      message: "PreSignUp failed with error no.",
    });
    expect(
      await errorOf(cognito.send(new AdminGetUserCommand({ UserPoolId: s.poolId, Username: "ivan" }))),
    ).toMatchObject({
      name: "UserNotFoundException",
    });
  });

  it("validates MessageAction and the pool", async () => {
    const { cognito } = get();
    const s = await setup();
    expect(
      await errorOf(
        cognito.send(
          new AdminCreateUserCommand({
            UserPoolId: s.poolId,
            Username: "jo",
            MessageAction: "NOPE" as never,
          }),
        ),
      ),
    ).toEqual({
      name: "InvalidParameterException",
      message:
        "1 validation error detected: Value 'NOPE' at 'messageAction' failed to satisfy constraint: Member must satisfy enum value set: [RESEND, SUPPRESS]",
    });
    expect(
      await errorOf(
        cognito.send(new AdminCreateUserCommand({ UserPoolId: "us-east-1_missing", Username: "jo" })),
      ),
    ).toEqual({
      name: "ResourceNotFoundException",
      message: "User pool us-east-1_missing does not exist.",
    });
  });
});

describe("AdminGetUser", () => {
  it("finds a user by username, sub or verified alias", async () => {
    const { cognito } = get();
    const s = await setup({ AliasAttributes: ["email"] });
    const out = await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: s.poolId,
        Username: "kim",
        UserAttributes: attrs({ email: "kim@example.com", email_verified: "true" }),
        MessageAction: "SUPPRESS",
      }),
    );
    const sub = out.User?.Attributes?.find((a) => a.Name === "sub")?.Value ?? "";
    for (const name of ["kim", sub, "kim@example.com"]) {
      const user = await cognito.send(new AdminGetUserCommand({ UserPoolId: s.poolId, Username: name }));
      expect(user.Username).toBe("kim");
      expect(user.UserAttributes).toEqual([
        { Name: "sub", Value: sub },
        { Name: "email", Value: "kim@example.com" },
        { Name: "email_verified", Value: "true" },
      ]);
      expect(user.MFAOptions).toBeUndefined();
    }
    expect(
      await errorOf(cognito.send(new AdminGetUserCommand({ UserPoolId: s.poolId, Username: "kim2" }))),
    ).toEqual({
      name: "UserNotFoundException",
      message: "User does not exist.",
    });
  });
});

describe("AdminDeleteUser", () => {
  it("deletes the user and frees the username", async () => {
    const { cognito, url } = get();
    const s = await setup();
    await cognito.send(
      new SignUpCommand({
        ClientId: s.clientId,
        Username: "lee",
        Password: PASSWORD,
        UserAttributes: attrs({ email: "lee@example.com" }),
      }),
    );
    await cognito.send(new AdminDeleteUserCommand({ UserPoolId: s.poolId, Username: "lee" }));
    expect(
      await errorOf(cognito.send(new AdminGetUserCommand({ UserPoolId: s.poolId, Username: "lee" }))),
    ).toEqual({
      name: "UserNotFoundException",
      message: "User does not exist.",
    });
    expect(
      await errorOf(cognito.send(new AdminDeleteUserCommand({ UserPoolId: s.poolId, Username: "lee" }))),
    ).toEqual({
      name: "UserNotFoundException",
      message: "User does not exist.",
    });
    const again = await cognito.send(
      new SignUpCommand({ ClientId: s.clientId, Username: "lee", Password: PASSWORD }),
    );
    expect(again.UserConfirmed).toBe(false);
    expect((await outbox(url, s.poolId, "lee")).length).toBeGreaterThan(0);
  });
});

describe("AdminDisableUser and AdminEnableUser", () => {
  it("blocks sign-in while disabled", async () => {
    const { cognito, clock } = get();
    const s = await setup();
    await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: s.poolId,
        Username: "max",
        TemporaryPassword: PASSWORD,
        MessageAction: "SUPPRESS",
      }),
    );
    clock.advance(60_000);
    await cognito.send(new AdminDisableUserCommand({ UserPoolId: s.poolId, Username: "max" }));
    const disabled = await cognito.send(new AdminGetUserCommand({ UserPoolId: s.poolId, Username: "max" }));
    expect(disabled.Enabled).toBe(false);
    expect(disabled.UserLastModifiedDate).toEqual(new Date(clock.ms));
    expect(disabled.UserCreateDate).toEqual(new Date(clock.ms - 60_000));
    expect(await signIn(s, "max", PASSWORD)).toBe("NotAuthorizedException: User is disabled.");
    await cognito.send(new AdminEnableUserCommand({ UserPoolId: s.poolId, Username: "max" }));
    expect(
      (await cognito.send(new AdminGetUserCommand({ UserPoolId: s.poolId, Username: "max" }))).Enabled,
    ).toBe(true);
    expect(await signIn(s, "max", PASSWORD)).toBe("challenge NEW_PASSWORD_REQUIRED");
    expect(
      await errorOf(cognito.send(new AdminEnableUserCommand({ UserPoolId: s.poolId, Username: "nobody" }))),
    ).toEqual({
      name: "UserNotFoundException",
      message: "User does not exist.",
    });
    expect(
      await errorOf(cognito.send(new AdminDisableUserCommand({ UserPoolId: s.poolId, Username: "nobody" }))),
    ).toEqual({
      name: "UserNotFoundException",
      message: "User does not exist.",
    });
  });
});

describe("AdminUpdateUserAttributes", () => {
  async function invited(s: Setup, username: string, attributes: Record<string, string>) {
    await get().cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: s.poolId,
        Username: username,
        UserAttributes: attrs(attributes),
        MessageAction: "SUPPRESS",
      }),
    );
  }

  it("changes attributes; a new email is unverified and gets a code", async () => {
    const { cognito, url } = get();
    const s = await setup();
    await invited(s, "nora", { email: "nora@example.com", email_verified: "true", name: "Nora" });
    await cognito.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: s.poolId,
        Username: "nora",
        UserAttributes: attrs({ name: "Nora B", email: "nora@new.example" }),
      }),
    );
    expect(await attributesOf(s.poolId, "nora")).toMatchObject({
      name: "Nora B",
      email: "nora@new.example",
      email_verified: "false",
    });
    const messages = await outbox(url, s.poolId, "nora");
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({
      reason: "UpdateUserAttribute",
      medium: "EMAIL",
      destination: "nora@new.example",
    });
    expect(messages[0]?.code).toMatch(/^\d{6}$/);
  });

  it("keeps an email verified when the same call says so, and sends nothing", async () => {
    const { cognito, url } = get();
    const s = await setup();
    await invited(s, "olga", { email: "olga@example.com" });
    await cognito.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: s.poolId,
        Username: "olga",
        UserAttributes: attrs({ email: "olga@new.example", email_verified: "true" }),
      }),
    );
    expect(await attributesOf(s.poolId, "olga")).toMatchObject({
      email: "olga@new.example",
      email_verified: "true",
    });
    expect(await outbox(url, s.poolId, "olga")).toEqual([]);
  });

  it("sends no code for an attribute the pool does not verify", async () => {
    const { cognito, url } = get();
    const s = await setup({ AutoVerifiedAttributes: [] });
    await invited(s, "pete", { phone_number: "+15555550111", phone_number_verified: "true" });
    await cognito.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: s.poolId,
        Username: "pete",
        UserAttributes: attrs({ phone_number: "+15555550112" }),
      }),
    );
    expect(await attributesOf(s.poolId, "pete")).toMatchObject({
      phone_number: "+15555550112",
      phone_number_verified: "false",
    });
    expect(await outbox(url, s.poolId, "pete")).toEqual([]);
  });

  it("re-keys the sign-in email of email-as-username users", async () => {
    const { cognito } = get();
    const s = await setup({ UsernameAttributes: ["email"] });
    await invited(s, "quin@example.com", {});
    await invited(s, "quill@example.com", {});
    await cognito.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: s.poolId,
        Username: "quin@example.com",
        UserAttributes: attrs({ email: "quinn@example.com", email_verified: "true" }),
      }),
    );
    expect((await attributesOf(s.poolId, "quinn@example.com")).email).toBe("quinn@example.com");
    expect(
      await errorOf(
        cognito.send(new AdminGetUserCommand({ UserPoolId: s.poolId, Username: "quin@example.com" })),
      ),
    ).toMatchObject({
      name: "UserNotFoundException",
    });
    expect(
      await errorOf(
        cognito.send(
          new AdminUpdateUserAttributesCommand({
            UserPoolId: s.poolId,
            Username: "quill@example.com",
            UserAttributes: attrs({ email: "quinn@example.com" }),
          }),
        ),
      ),
    ).toEqual({ name: "AliasExistsException", message: "An account with the given email already exists." });
  });

  it("refuses a verified alias another user holds", async () => {
    const { cognito } = get();
    const s = await setup({ AliasAttributes: ["email"] });
    await invited(s, "rose", { email: "desk@example.com", email_verified: "true" });
    await invited(s, "ruth", { email: "ruth@example.com", email_verified: "true" });
    expect(
      await errorOf(
        cognito.send(
          new AdminUpdateUserAttributesCommand({
            UserPoolId: s.poolId,
            Username: "ruth",
            UserAttributes: attrs({ email: "desk@example.com", email_verified: "true" }),
          }),
        ),
      ),
    ).toEqual({ name: "AliasExistsException", message: "An account with the given email already exists." });
    expect((await attributesOf(s.poolId, "ruth")).email).toBe("ruth@example.com");
    // Unverified, the same email is nobody's alias, so it may be shared.
    await cognito.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: s.poolId,
        Username: "ruth",
        UserAttributes: attrs({ email: "desk@example.com" }),
      }),
    );
    expect(
      (await cognito.send(new AdminGetUserCommand({ UserPoolId: s.poolId, Username: "desk@example.com" })))
        .Username,
    ).toBe("rose");
  });

  it("checks attributes against the schema", async () => {
    const { cognito } = get();
    const s = await setup({
      Schema: [{ Name: "tier", AttributeDataType: "String", Mutable: false }],
    });
    await invited(s, "sara", { "custom:tier": "gold" });
    const update = (attributes: Record<string, string>) =>
      errorOf(
        cognito.send(
          new AdminUpdateUserAttributesCommand({
            UserPoolId: s.poolId,
            Username: "sara",
            UserAttributes: attrs(attributes),
          }),
        ),
      );
    expect(await update({ "custom:tier": "silver" })).toEqual({
      name: "InvalidParameterException",
      message:
        "Attributes did not conform to the schema: custom:tier: Attribute cannot be updated. (changing an immutable attribute)",
    });
    expect(await update({ favourite: "x" })).toEqual({
      name: "InvalidParameterException",
      message: "Attributes did not conform to the schema: favourite: Attribute does not exist in the schema.",
    });
    expect(await update({ phone_number: "555" })).toEqual({
      name: "InvalidParameterException",
      message: "Invalid phone number format.",
    });
    expect(
      await errorOf(
        cognito.send(
          new AdminUpdateUserAttributesCommand({
            UserPoolId: s.poolId,
            Username: "nobody",
            UserAttributes: attrs({ name: "x" }),
          }),
        ),
      ),
    ).toEqual({ name: "UserNotFoundException", message: "User does not exist." });
  });
});

describe("AdminDeleteUserAttributes", () => {
  it("removes attributes, an email with its verification flag", async () => {
    const { cognito } = get();
    const s = await setup({
      Schema: [{ Name: "name", AttributeDataType: "String", Required: true, Mutable: true }],
    });
    await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: s.poolId,
        Username: "tess",
        UserAttributes: attrs({
          name: "Tess",
          email: "tess@example.com",
          email_verified: "true",
          nickname: "T",
        }),
        MessageAction: "SUPPRESS",
      }),
    );
    await cognito.send(
      new AdminDeleteUserAttributesCommand({
        UserPoolId: s.poolId,
        Username: "tess",
        UserAttributeNames: ["email", "nickname"],
      }),
    );
    const after = await attributesOf(s.poolId, "tess");
    expect(Object.keys(after).sort()).toEqual(["name", "sub"]);
    expect(
      await errorOf(
        cognito.send(
          new AdminDeleteUserAttributesCommand({
            UserPoolId: s.poolId,
            Username: "tess",
            UserAttributeNames: ["name"],
          }),
        ),
      ),
    ).toEqual({
      name: "InvalidParameterException",
      message: "Attributes did not conform to the schema: name: The attribute name is required",
    });
    expect(
      await errorOf(
        cognito.send(
          new AdminDeleteUserAttributesCommand({
            UserPoolId: s.poolId,
            Username: "tess",
            UserAttributeNames: ["bogus"],
          }),
        ),
      ),
    ).toEqual({
      name: "InvalidParameterException",
      message: "Attributes did not conform to the schema: bogus: Attribute does not exist in the schema.",
    });
    expect(
      await errorOf(
        cognito.send(
          new AdminDeleteUserAttributesCommand({
            UserPoolId: s.poolId,
            Username: "nobody",
            UserAttributeNames: ["nickname"],
          }),
        ),
      ),
    ).toEqual({ name: "UserNotFoundException", message: "User does not exist." });
  });
});
