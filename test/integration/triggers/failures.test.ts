// Every way a trigger can fail, through the AWS SDK: the exception Cognito answers with, and that nothing was created.
import { AdminGetUserCommand, SignUpCommand } from "@aws-sdk/client-cognito-identity-provider";
import { beforeEach, describe, expect, it } from "vitest";
import { errorOf } from "../../helpers/server.js";
import { arnOf, useTriggerServer } from "../../helpers/trigger-server.js";
import { createClient, createPool, PASSWORD, unique } from "../cognito/auth-fixtures.js";

const t = useTriggerServer(
  {
    throws: ["common.mjs", "throws"],
    throwsWithPeriod: ["common.mjs", "throwsWithPeriod"],
    throwsEmpty: ["common.mjs", "throwsEmpty"],
    callbackError: ["common.mjs", "callbackError"],
    hangs: ["common.mjs", "hangs"],
    returnsNothing: ["common.mjs", "returnsNothing"],
    returnsNumber: ["common.mjs", "returnsNumber"],
    returnsStringResponse: ["common.mjs", "returnsStringResponse"],
    editsRequest: ["common.mjs", "editsRequest"],
    exits: ["common.mjs", "exits"],
  },
  { deadlineMs: 200 },
);

beforeEach(() => t.clear());

async function signUpWith(functionName: string) {
  const { cognito } = t.get();
  const poolId = await createPool(cognito, { LambdaConfig: { PreSignUp: arnOf(functionName) } });
  const { clientId } = await createClient(cognito, poolId);
  const username = unique("f");
  const result = await errorOf(
    cognito.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: username,
        Password: PASSWORD,
        UserAttributes: [{ Name: "email", Value: `${username}@example.com` }],
      }),
    ),
  );
  const stored = await errorOf(
    cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username })),
  );
  // A failed PreSignUp never leaves a user behind.
  expect(stored.name).toBe("UserNotFoundException");
  return result;
}

describe("handler errors: UserLambdaValidationException", () => {
  it("the handler's message with a period appended", async () => {
    expect(await signUpWith("throws")).toEqual({
      name: "UserLambdaValidationException",
      message: "PreSignUp failed with error Nope.",
    });
  });

  it("the period is appended even after one: '..'", async () => {
    expect((await signUpWith("throwsWithPeriod")).message).toBe("PreSignUp failed with error Not allowed..");
  });

  it("an empty message: the runtime's description instead", async () => {
    expect(await signUpWith("throwsEmpty")).toEqual({
      name: "UserLambdaValidationException",
      message: expect.stringMatching(/^PreSignUp failed with error RequestId: [0-9a-f-]{36} Error: Error\.$/),
    });
  });

  it("callback(error) with a string", async () => {
    expect((await signUpWith("callbackError")).message).toBe("PreSignUp failed with error plain failure.");
  });
});

describe("a runtime that dies", () => {
  it("process.exit: the runtime's description, and the next invocation gets a new runtime", async () => {
    expect(await signUpWith("exits")).toEqual({
      name: "UserLambdaValidationException",
      message: expect.stringMatching(
        /^PreSignUp failed with error RequestId: \S+ Error: Runtime exited with error: exit status 3\.$/,
      ),
    });
    const again = await signUpWith("exits");
    expect(again.name).toBe("UserLambdaValidationException");
    expect(t.events("exits")).toHaveLength(2);
  });
});

describe("timeouts: UnexpectedLambdaException after three attempts", () => {
  it("a handler that never answers is invoked three times, then the call fails", async () => {
    expect(await signUpWith("hangs")).toEqual({
      name: "UnexpectedLambdaException",
      message: "PreSignUp invocation failed due to error Socket timeout while invoking Lambda function.",
    });
    expect(t.events("hangs")).toHaveLength(3);
  });
});

describe("Lambda refusing the invocation: UnexpectedLambdaException", () => {
  it("a function that does not exist", async () => {
    expect(await signUpWith("not-deployed")).toEqual({
      name: "UnexpectedLambdaException",
      message: "PreSignUp invocation failed due to error ResourceNotFoundException.",
    });
  });
});

describe("output Cognito cannot read: InvalidLambdaResponseException", () => {
  for (const name of ["returnsNothing", "returnsNumber", "returnsStringResponse"]) {
    it(`${name}: Unrecognizable lambda output`, async () => {
      expect(await signUpWith(name)).toEqual({
        name: "InvalidLambdaResponseException",
        message: "Unrecognizable lambda output",
      });
    });
  }
});

describe("only `response` is read", () => {
  it("edits to the rest of the event are ignored", async () => {
    const { cognito } = t.get();
    const poolId = await createPool(cognito, { LambdaConfig: { PreSignUp: arnOf("editsRequest") } });
    const { clientId } = await createClient(cognito, poolId);
    const username = unique("e");
    await cognito.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: username,
        Password: PASSWORD,
        UserAttributes: [{ Name: "email", Value: `${username}@example.com` }],
      }),
    );
    const user = await cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
    expect(user.UserAttributes?.find((a) => a.Name === "email")?.Value).toBe(`${username}@example.com`);
    expect(user.UserStatus).toBe("UNCONFIRMED");
  });
});
