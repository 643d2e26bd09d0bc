// defineTrigger's handler (async and callback style, errors), isSource and customMessage at run time.
import { describe, expect, it } from "vitest";
import { buildEvent } from "./build-event.js";
import { customMessage, defineTrigger, isSource, type LambdaContext } from "./define-trigger.js";
import type { CognitoTriggerEvent } from "./events.js";

const context: LambdaContext = {
  callbackWaitsForEmptyEventLoop: true,
  functionName: "fn",
  functionVersion: "$LATEST",
  invokedFunctionArn: "arn:aws:lambda:us-east-1:000000000000:function:fn",
  memoryLimitInMB: "128",
  awsRequestId: "req-1",
  logGroupName: "/aws/lambda/fn",
  logStreamName: "stream",
  getRemainingTimeInMillis: () => 5000,
};

describe("defineTrigger", () => {
  it("runs an async handler and resolves with the event it returns", async () => {
    const handler = defineTrigger("PreSignUp", async (event, ctx) => {
      event.response.autoConfirmUser = ctx.functionName === "fn";
      return event;
    });
    const result = await handler(buildEvent("PreSignUp_SignUp"), context);
    expect(result.response.autoConfirmUser).toBe(true);
  });

  it("is an async handler even for a callback-style one", async () => {
    const handler = defineTrigger("PostConfirmation", (event, _ctx, callback) => {
      setTimeout(() => callback(null, event), 1);
    });
    expect(handler.length).toBe(2);
    const event = buildEvent("PostConfirmation_ConfirmSignUp");
    await expect(handler(event, context)).resolves.toBe(event);
  });

  it("rejects with what the handler throws, rejects, or passes to the callback", async () => {
    const event = buildEvent("PreAuthentication_Authentication");
    const thrown = defineTrigger("PreAuthentication", () => {
      throw new Error("blocked");
    });
    await expect(thrown(event, context)).rejects.toThrow("blocked");
    const rejected = defineTrigger("PreAuthentication", async () => {
      throw new TypeError("bad");
    });
    await expect(rejected(event, context)).rejects.toBeInstanceOf(TypeError);
    const called = defineTrigger("PreAuthentication", (_event, _ctx, callback) => callback("Not allowed"));
    await expect(called(event, context)).rejects.toThrow("Not allowed");
  });
});

describe("isSource", () => {
  it("is true for the listed sources only", () => {
    const event = buildEvent("CustomMessage_ResendCode") as CognitoTriggerEvent;
    expect(isSource(event, "CustomMessage_SignUp", "CustomMessage_ResendCode")).toBe(true);
    expect(isSource(event, "CustomMessage_SignUp")).toBe(false);
  });
});

describe("customMessage", () => {
  it("fills the response from Cognito's placeholders; {username} where Cognito substitutes it", () => {
    const invite = customMessage(buildEvent("CustomMessage_AdminCreateUser", { userName: "ana" }), (p) => ({
      emailSubject: "Welcome",
      emailMessage: `Hi ${p.username}, your temporary password is ${p.code}`,
    }));
    expect(invite.response).toEqual({
      smsMessage: null,
      emailSubject: "Welcome",
      emailMessage: "Hi {username}, your temporary password is {####}",
    });
    const signUp = customMessage(
      buildEvent("CustomMessage_SignUp", { userName: "ana" }),
      ({ username, code, link }) => ({
        smsMessage: `${username}: ${code} ${link}`,
      }),
    );
    expect(signUp.response.smsMessage).toBe("ana: {####} {##Click Here##}");
  });

  it("takes plain messages and leaves out what is not given", () => {
    const event = buildEvent("CustomMessage_ForgotPassword");
    event.response.emailSubject = "kept";
    expect(customMessage(event, { smsMessage: "Code {####}" }).response).toEqual({
      smsMessage: "Code {####}",
      emailMessage: null,
      emailSubject: "kept",
    });
  });
});
