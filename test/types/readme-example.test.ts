// The README's typed-handler example must keep compiling (tsc checks it in `npm run typecheck`) and working.
import { describe, expect, it } from "vitest";
import { buildEvent, defineTrigger } from "../../src/index.js";

const handler = defineTrigger("PreSignUp", async (event) => {
  if (
    event.triggerSource === "PreSignUp_SignUp" &&
    event.request.userAttributes.email?.endsWith("@example.com")
  )
    event.response.autoConfirmUser = true;
  return event;
});

describe("README example", () => {
  it("auto-confirms example.com sign-ups only", async () => {
    const signUp = (email: string) =>
      buildEvent("PreSignUp_SignUp", {
        userPoolId: "us-east-1_Example1",
        userName: "u",
        userAttributes: { email },
      });
    const yes = (await handler(signUp("a@example.com"), {} as never)) as {
      response: { autoConfirmUser: boolean };
    };
    const no = (await handler(signUp("a@other.org"), {} as never)) as {
      response: { autoConfirmUser: boolean };
    };
    expect(yes.response.autoConfirmUser).toBe(true);
    expect(no.response.autoConfirmUser).toBe(false);
  });
});
