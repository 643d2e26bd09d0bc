// A change and the code it sends commit together: when the outbox write fails, neither is kept (AWS SDK against the server).
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminResetUserPasswordCommand,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  ForgotPasswordCommand,
  GetUserCommand,
  InitiateAuthCommand,
  ResendConfirmationCodeCommand,
  SignUpCommand,
  UpdateUserAttributesCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CognitoError } from "../../../src/cognito/errors.js";
import type { TriggerRunner } from "../../../src/cognito/trigger-runner/port.js";
import { openStore } from "../../../src/store/index.js";
import type { Store, StoreTx } from "../../../src/store/port.js";
import { errorOf, startTestServer, type TestServer } from "../../helpers/server.js";
import {
  createClient,
  createPool,
  FUNCTION_ARN,
  lastCode,
  outbox,
  PASSWORD,
  ScriptedTriggers,
} from "./signup-helpers.js";

const NEW_PASSWORD = "N3w-Passw0rd!";
const KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

/** A store whose transactions fail at `addOutboxMessage` while `failing` is set, as a crash there would. */
function flakyOutbox(inner: Store): { store: Store; failing: { on: boolean } } {
  const failing = { on: false };
  const broken = (tx: StoreTx): StoreTx =>
    new Proxy(tx, {
      get: (target, key, receiver) =>
        key === "addOutboxMessage"
          ? async () => {
              throw new Error("outbox write failed");
            }
          : Reflect.get(target, key, receiver),
    });
  const store = new Proxy(inner, {
    get: (target, key, receiver) =>
      key === "transaction"
        ? <T>(work: (tx: StoreTx) => Promise<T>) =>
            target.transaction((tx) => work(failing.on ? broken(tx) : tx))
        : Reflect.get(target, key, receiver),
  });
  return { store, failing };
}

const triggers = new ScriptedTriggers();
/** The custom senders' (asynchronous) events, which ScriptedTriggers does not keep. */
const sent: Record<string, unknown>[] = [];
const runner: TriggerRunner = {
  invoke: (call) => triggers.invoke(call),
  invokeAsync: (call) => {
    sent.push(call.event);
  },
};
let inner: Store;
let failing: { on: boolean };
let s: TestServer;

beforeAll(async () => {
  inner = await openStore({ memory: true });
  const flaky = flakyOutbox(inner);
  failing = flaky.failing;
  s = await startTestServer({ store: flaky.store, triggers: runner });
});

afterAll(async () => {
  s.cognito.destroy();
  await s.server.close();
  await inner.close();
});

beforeEach(() => {
  failing.on = false;
  triggers.reset();
  sent.length = 0;
});

const INTERNAL = { name: "InternalErrorException", message: "Internal server error." };

async function emailPool(lambdaConfig?: Record<string, unknown>) {
  const poolId = await createPool(s.cognito, {
    AutoVerifiedAttributes: ["email"],
    Policies: { PasswordPolicy: { MinimumLength: 8 } },
    ...(lambdaConfig ? { LambdaConfig: lambdaConfig } : {}),
  });
  const { clientId } = await createClient(s.cognito, poolId, {
    ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
  });
  return { poolId, clientId };
}

const signUp = (clientId: string, username: string) =>
  s.cognito.send(
    new SignUpCommand({
      ClientId: clientId,
      Username: username,
      Password: PASSWORD,
      UserAttributes: [{ Name: "email", Value: `${username}@example.com` }],
    }),
  );

const userError = (poolId: string, username: string) =>
  errorOf(s.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username })));

const signIn = (clientId: string, username: string, password = PASSWORD) =>
  s.cognito.send(
    new InitiateAuthCommand({
      ClientId: clientId,
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: username, PASSWORD: password },
    }),
  );

/** A confirmed user with a verified email: signed up, confirmed with the code from the outbox. */
async function confirmedUser(poolId: string, clientId: string, username: string) {
  await signUp(clientId, username);
  const code = await lastCode(s.url, poolId, username);
  await s.cognito.send(
    new ConfirmSignUpCommand({ ClientId: clientId, Username: username, ConfirmationCode: code }),
  );
}

describe("SignUp", () => {
  it("creates no user when its code's outbox message cannot be recorded", async () => {
    const { poolId, clientId } = await emailPool();
    failing.on = true;
    expect(await errorOf(signUp(clientId, "ada"))).toEqual(INTERNAL);
    failing.on = false;
    expect(await userError(poolId, "ada")).toEqual({
      name: "UserNotFoundException",
      message: "User does not exist.",
    });
    expect(await outbox(s.url, poolId, "ada")).toEqual([]);

    // The name is free again, and the normal path keeps user, code and message together.
    const out = await signUp(clientId, "ada");
    expect(out.CodeDeliveryDetails).toEqual({
      AttributeName: "email",
      DeliveryMedium: "EMAIL",
      Destination: "a***@e***",
    });
    const [message] = await outbox(s.url, poolId, "ada");
    expect(message).toMatchObject({ reason: "SignUp", destination: "ada@example.com" });
    await s.cognito.send(
      new ConfirmSignUpCommand({ ClientId: clientId, Username: "ada", ConfirmationCode: message?.code }),
    );
    expect(
      (await s.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "ada" }))).UserStatus,
    ).toBe("CONFIRMED");
  });

  it("runs a custom sender only once the user, the code and the message are committed", async () => {
    const { poolId, clientId } = await emailPool({
      KMSKeyID: KEY_ARN,
      CustomEmailSender: { LambdaVersion: "V1_0", LambdaArn: FUNCTION_ARN },
    });
    failing.on = true;
    expect(await errorOf(signUp(clientId, "bea"))).toEqual(INTERNAL);
    expect(sent).toEqual([]);
    failing.on = false;
    await signUp(clientId, "bea");
    expect(sent.map((e) => e.triggerSource)).toEqual(["CustomEmailSender_SignUp"]);
    expect(await outbox(s.url, poolId, "bea")).toHaveLength(1);
  });

  it("stores no code when CustomMessage fails, but keeps the user, as Cognito does", async () => {
    const { poolId, clientId } = await emailPool({ CustomMessage: FUNCTION_ARN });
    const failure = {
      name: "UserLambdaValidationException",
      message: "CustomMessage failed with error boom.",
    };
    triggers.handlers.set("CustomMessage_SignUp", () => {
      throw new CognitoError(failure.name, failure.message);
    });
    expect(await errorOf(signUp(clientId, "cid"))).toEqual(failure);
    expect(
      (await s.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "cid" }))).UserStatus,
    ).toBe("UNCONFIRMED");
    expect(await outbox(s.url, poolId, "cid")).toEqual([]);
    // Nobody received a code, so none is waiting: a new one must be asked for.
    expect(
      await errorOf(
        s.cognito.send(
          new ConfirmSignUpCommand({ ClientId: clientId, Username: "cid", ConfirmationCode: "123456" }),
        ),
      ),
    ).toEqual({
      name: "ExpiredCodeException",
      message: "Invalid code provided, please request a code again.",
    });
  });

  it("runs no CustomMessage for a sign-up that lost its name while PreSignUp ran", async () => {
    const { poolId, clientId } = await emailPool({ PreSignUp: FUNCTION_ARN, CustomMessage: FUNCTION_ARN });
    triggers.handlers.set("PreSignUp_SignUp", async (event) => {
      // Another caller takes the name in the meantime.
      await s.cognito.send(
        new AdminCreateUserCommand({ UserPoolId: poolId, Username: "dan", MessageAction: "SUPPRESS" }),
      );
      return event.response as Record<string, unknown>;
    });
    expect(await errorOf(signUp(clientId, "dan"))).toEqual({
      name: "UsernameExistsException",
      message: "User already exists",
    });
    expect(triggers.events(poolId, "CustomMessage_SignUp")).toEqual([]);
    expect(await outbox(s.url, poolId, "dan")).toEqual([]);
  });
});

describe("the other actions that send a code or a temporary password", () => {
  it("AdminCreateUser: no user without its invitation", async () => {
    const { poolId } = await emailPool();
    const create = () =>
      s.cognito.send(
        new AdminCreateUserCommand({
          UserPoolId: poolId,
          Username: "eve",
          UserAttributes: [{ Name: "email", Value: "eve@example.com" }],
          DesiredDeliveryMediums: ["EMAIL"],
        }),
      );
    failing.on = true;
    expect(await errorOf(create())).toEqual(INTERNAL);
    failing.on = false;
    expect((await userError(poolId, "eve")).name).toBe("UserNotFoundException");
    await create();
    expect(await outbox(s.url, poolId, "eve")).toMatchObject([{ reason: "AdminCreateUser" }]);
  });

  it("ResendConfirmationCode: the previous code keeps working when the new one is not recorded", async () => {
    const { poolId, clientId } = await emailPool();
    await signUp(clientId, "fay");
    const first = await lastCode(s.url, poolId, "fay");
    failing.on = true;
    expect(
      await errorOf(
        s.cognito.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: "fay" })),
      ),
    ).toEqual(INTERNAL);
    failing.on = false;
    expect(await outbox(s.url, poolId, "fay")).toHaveLength(1);
    await s.cognito.send(
      new ConfirmSignUpCommand({ ClientId: clientId, Username: "fay", ConfirmationCode: first }),
    );
  });

  it("ForgotPassword: no reset code without its message", async () => {
    const { poolId, clientId } = await emailPool();
    await confirmedUser(poolId, clientId, "gus");
    failing.on = true;
    expect(
      await errorOf(s.cognito.send(new ForgotPasswordCommand({ ClientId: clientId, Username: "gus" }))),
    ).toEqual(INTERNAL);
    failing.on = false;
    expect(
      await errorOf(
        s.cognito.send(
          new ConfirmForgotPasswordCommand({
            ClientId: clientId,
            Username: "gus",
            ConfirmationCode: "123456",
            Password: NEW_PASSWORD,
          }),
        ),
      ),
    ).toEqual({
      name: "ExpiredCodeException",
      message: "Invalid code provided, please request a code again.",
    });
  });

  it("AdminResetUserPassword: the password keeps working when the reset code is not recorded", async () => {
    const { poolId, clientId } = await emailPool();
    await confirmedUser(poolId, clientId, "hal");
    failing.on = true;
    expect(
      await errorOf(
        s.cognito.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: "hal" })),
      ),
    ).toEqual(INTERNAL);
    failing.on = false;
    expect(
      (await s.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "hal" }))).UserStatus,
    ).toBe("CONFIRMED");
    expect((await signIn(clientId, "hal")).AuthenticationResult).toBeDefined();
  });

  it("UpdateUserAttributes: the email does not change without its verification code", async () => {
    const { poolId, clientId } = await emailPool();
    await confirmedUser(poolId, clientId, "ivy");
    const token = (await signIn(clientId, "ivy")).AuthenticationResult?.AccessToken as string;
    const update = () =>
      s.cognito.send(
        new UpdateUserAttributesCommand({
          AccessToken: token,
          UserAttributes: [{ Name: "email", Value: "ivy@example.org" }],
        }),
      );
    failing.on = true;
    expect(await errorOf(update())).toEqual(INTERNAL);
    failing.on = false;
    const attributes = (await s.cognito.send(new GetUserCommand({ AccessToken: token }))).UserAttributes;
    expect(attributes).toContainEqual({ Name: "email", Value: "ivy@example.com" });
    expect(attributes).toContainEqual({ Name: "email_verified", Value: "true" });
    const out = await update();
    expect(out.CodeDeliveryDetailsList).toEqual([
      { AttributeName: "email", DeliveryMedium: "EMAIL", Destination: "i***@e***" },
    ]);
    expect((await outbox(s.url, poolId, "ivy")).at(-1)).toMatchObject({
      reason: "UpdateUserAttribute",
      destination: "ivy@example.org",
    });
  });
});

describe("with the outbox off", () => {
  it("still stores the codes, which only the outbox would have shown", async () => {
    const off = await startTestServer({ outbox: false });
    try {
      const poolId = await createPool(off.cognito, { AutoVerifiedAttributes: ["email"] });
      const { clientId } = await createClient(off.cognito, poolId);
      await off.cognito.send(
        new SignUpCommand({
          ClientId: clientId,
          Username: "jon",
          Password: PASSWORD,
          UserAttributes: [{ Name: "email", Value: "jon@example.com" }],
        }),
      );
      // A wrong code, not a missing one.
      expect(
        await errorOf(
          off.cognito.send(
            new ConfirmSignUpCommand({ ClientId: clientId, Username: "jon", ConfirmationCode: "1" }),
          ),
        ),
      ).toEqual({
        name: "CodeMismatchException",
        message: "Invalid verification code provided, please try again.",
      });
    } finally {
      off.cognito.destroy();
      await off.server.close();
    }
  });
});
