// Type tests: our trigger events against @types/aws-lambda's Cognito types, in both directions, and the unions' narrowing.
import type * as aws from "aws-lambda";
import { describe, expectTypeOf, it } from "vitest";
import { buildEvent } from "../../src/triggers/build-event.js";
import {
  type CognitoTriggerHandler,
  customMessage,
  defineTrigger,
  isSource,
} from "../../src/triggers/define-trigger.js";
import type {
  ClaimsAndScopeOverrideDetails,
  CognitoTriggerEvent,
  CustomMessageEvent,
  EventOf,
  GroupConfiguration,
  PreSignUpEvent,
  PreTokenGenerationEvent,
  PreTokenGenerationV1Event,
  PreTokenGenerationV1Response,
  PreTokenGenerationV2Event,
  PreTokenGenerationV2Response,
  TriggerEvent,
  UserMigrationEvent,
} from "../../src/triggers/events.js";

/** Our events with Cognito's `null`s taken out: what @types/aws-lambda describes. */
type NoNull<T> = T extends null
  ? never
  : T extends string | number | boolean
    ? T
    : T extends readonly (infer U)[]
      ? NoNull<U>[]
      : T extends object
        ? { [K in keyof T]: NoNull<T[K]> }
        : T;

describe("@types/aws-lambda events are assignable to ours", () => {
  it("for every trigger whose @types shape Cognito honours", () => {
    expectTypeOf<aws.PreSignUpTriggerEvent>().toExtend<TriggerEvent<"PreSignUp">>();
    expectTypeOf<aws.PreSignUpAdminCreateUserTriggerEvent>().toExtend<
      PreSignUpEvent<"PreSignUp_AdminCreateUser">
    >();
    expectTypeOf<aws.PostConfirmationTriggerEvent>().toExtend<TriggerEvent<"PostConfirmation">>();
    expectTypeOf<aws.PreAuthenticationTriggerEvent>().toExtend<TriggerEvent<"PreAuthentication">>();
    expectTypeOf<aws.PostAuthenticationTriggerEvent>().toExtend<TriggerEvent<"PostAuthentication">>();
    expectTypeOf<aws.DefineAuthChallengeTriggerEvent>().toExtend<TriggerEvent<"DefineAuthChallenge">>();
    expectTypeOf<aws.CreateAuthChallengeTriggerEvent>().toExtend<TriggerEvent<"CreateAuthChallenge">>();
    expectTypeOf<aws.VerifyAuthChallengeResponseTriggerEvent>().toExtend<
      TriggerEvent<"VerifyAuthChallengeResponse">
    >();
    expectTypeOf<aws.CustomMessageTriggerEvent>().toExtend<TriggerEvent<"CustomMessage">>();
    expectTypeOf<aws.CustomSMSSenderTriggerEvent>().toExtend<TriggerEvent<"CustomSMSSender">>();
    expectTypeOf<aws.CustomEmailSenderTriggerEvent>().toExtend<TriggerEvent<"CustomEmailSender">>();
    expectTypeOf<aws.InboundFederationTriggerEvent>().toExtend<TriggerEvent<"InboundFederation">>();
  });

  it("PreTokenGeneration: only once `version` is the literal and groupConfiguration's members are present", () => {
    // @types types `version` as any string (we discriminate V1 from V2/V3 on it) and every
    // groupConfiguration member as optional (Cognito always sends all three).
    expectTypeOf<aws.PreTokenGenerationTriggerEvent>().not.toExtend<PreTokenGenerationEvent>();
    type V1 = aws.PreTokenGenerationTriggerEvent & {
      version: "1";
      request: { groupConfiguration: GroupConfiguration };
    };
    expectTypeOf<V1>().toExtend<PreTokenGenerationV1Event>();
    type V2 = aws.PreTokenGenerationV2TriggerEvent & {
      version: "2";
      request: { groupConfiguration: GroupConfiguration; scopes: string[] };
    };
    expectTypeOf<V2>().toExtend<PreTokenGenerationV2Event>();
    type V3 = aws.PreTokenGenerationV3TriggerEvent & {
      request: { groupConfiguration: GroupConfiguration; scopes: string[] };
    };
    expectTypeOf<V3>().toExtend<PreTokenGenerationV2Event<"TokenGeneration_ClientCredentials", "3">>();
  });

  it("UserMigration: only with the finalUserStatus and messageAction values Cognito accepts", () => {
    // @types allows any UserStatus and RESEND; Cognito takes CONFIRMED / RESET_REQUIRED and SUPPRESS.
    expectTypeOf<aws.UserMigrationTriggerEvent>().not.toExtend<UserMigrationEvent>();
    type Accepted = aws.UserMigrationTriggerEvent & {
      response: { finalUserStatus?: "CONFIRMED" | "RESET_REQUIRED"; messageAction?: "SUPPRESS" };
    };
    expectTypeOf<Accepted>().toExtend<UserMigrationEvent>();
  });
});

describe("our events are assignable to @types/aws-lambda's once Cognito's nulls are taken out", () => {
  it("for every trigger @types describes", () => {
    expectTypeOf<NoNull<TriggerEvent<"PreSignUp">>>().toExtend<aws.PreSignUpTriggerEvent>();
    expectTypeOf<NoNull<TriggerEvent<"PostConfirmation">>>().toExtend<aws.PostConfirmationTriggerEvent>();
    expectTypeOf<NoNull<TriggerEvent<"PreAuthentication">>>().toExtend<aws.PreAuthenticationTriggerEvent>();
    expectTypeOf<NoNull<TriggerEvent<"PostAuthentication">>>().toExtend<aws.PostAuthenticationTriggerEvent>();
    expectTypeOf<NoNull<PreTokenGenerationV1Event>>().toExtend<aws.PreTokenGenerationTriggerEvent>();
    expectTypeOf<
      NoNull<TriggerEvent<"DefineAuthChallenge">>
    >().toExtend<aws.DefineAuthChallengeTriggerEvent>();
    expectTypeOf<
      NoNull<TriggerEvent<"CreateAuthChallenge">>
    >().toExtend<aws.CreateAuthChallengeTriggerEvent>();
    expectTypeOf<
      NoNull<TriggerEvent<"VerifyAuthChallengeResponse">>
    >().toExtend<aws.VerifyAuthChallengeResponseTriggerEvent>();
    expectTypeOf<
      NoNull<EventOf<"UserMigration_Authentication">>
    >().toExtend<aws.UserMigrationAuthenticationTriggerEvent>();
    expectTypeOf<NoNull<TriggerEvent<"CustomMessage">>>().toExtend<aws.CustomMessageTriggerEvent>();
    expectTypeOf<NoNull<TriggerEvent<"CustomSMSSender">>>().toExtend<aws.CustomSMSSenderTriggerEvent>();
    expectTypeOf<NoNull<TriggerEvent<"CustomEmailSender">>>().toExtend<aws.CustomEmailSenderTriggerEvent>();
    expectTypeOf<NoNull<TriggerEvent<"InboundFederation">>>().toExtend<aws.InboundFederationTriggerEvent>();
  });

  it("and the nulls are the difference: Cognito sends `validationData: null`, @types says absent", () => {
    expectTypeOf<TriggerEvent<"PreSignUp">>().not.toExtend<aws.PreSignUpTriggerEvent>();
  });

  it("except V2/V3 claims, which take JSON values, and UserMigration_ForgotPassword, which has no password", () => {
    type V2 = PreTokenGenerationV2Event<"TokenGeneration_Authentication", "2">;
    expectTypeOf<NoNull<V2>>().not.toExtend<aws.PreTokenGenerationAuthenticationV2TriggerEvent>();
    type StringClaims = NoNull<V2> & {
      response: { claimsAndScopeOverrideDetails: aws.ClaimsAndScopeOverrideDetails };
    };
    expectTypeOf<StringClaims>().toExtend<aws.PreTokenGenerationAuthenticationV2TriggerEvent>();
    expectTypeOf<aws.ClaimsAndScopeOverrideDetails>().toExtend<ClaimsAndScopeOverrideDetails>();
    expectTypeOf<
      NoNull<EventOf<"UserMigration_ForgotPassword">>
    >().not.toExtend<aws.UserMigrationForgotPasswordTriggerEvent>();
  });
});

describe("handlers", () => {
  it("a handler typed with @types/aws-lambda is accepted, and ours is an @types handler", () => {
    const preSignUp = defineTrigger("PreSignUp", async (event: aws.PreSignUpTriggerEvent) => event);
    expectTypeOf(preSignUp).toExtend<aws.PreSignUpTriggerHandler>();
    expectTypeOf(
      defineTrigger("CustomMessage", async (event) => event),
    ).toExtend<aws.CustomMessageTriggerHandler>();
    expectTypeOf(
      defineTrigger("DefineAuthChallenge", async (event: aws.DefineAuthChallengeTriggerEvent) => event),
    ).toExtend<aws.DefineAuthChallengeTriggerHandler>();
  });

  it("not for PreTokenGeneration and UserMigration, whose events differ both ways (see above)", () => {
    expectTypeOf(
      defineTrigger("PreTokenGeneration", async (event) => event),
    ).not.toExtend<aws.PreTokenGenerationTriggerHandler>();
    expectTypeOf(
      defineTrigger("UserMigration", async (event) => event),
    ).not.toExtend<aws.UserMigrationTriggerHandler>();
  });

  it("receives the union of its trigger's sources and must return the event", () => {
    defineTrigger("PreSignUp", async (event, context) => {
      expectTypeOf(event.triggerSource).toEqualTypeOf<
        "PreSignUp_SignUp" | "PreSignUp_AdminCreateUser" | "PreSignUp_ExternalProvider"
      >();
      expectTypeOf(event.request.userAttributes.email).toEqualTypeOf<string | undefined>();
      expectTypeOf(event.request.validationData).toEqualTypeOf<Record<string, string> | null | undefined>();
      expectTypeOf(context.getRemainingTimeInMillis()).toBeNumber();
      event.response.autoConfirmUser = true;
      return event;
    });
    // @ts-expect-error -- Cognito needs the event back, not just its response.
    defineTrigger("PreSignUp", async (event) => event.response);
    defineTrigger("PostConfirmation", (event, _context, callback) => callback(null, event));
    expectTypeOf(defineTrigger("DefineAuthChallenge", async (e) => e)).toEqualTypeOf<
      CognitoTriggerHandler<"DefineAuthChallenge">
    >();
  });

  it("narrows on triggerSource, and PreTokenGeneration on version", () => {
    defineTrigger("PreTokenGeneration", async (event) => {
      if (event.version === "1") {
        expectTypeOf(event.response).toEqualTypeOf<PreTokenGenerationV1Response>();
        event.response.claimsOverrideDetails = { claimsToAddOrOverride: { tier: "gold" } };
      } else {
        expectTypeOf(event.response).toEqualTypeOf<PreTokenGenerationV2Response>();
        expectTypeOf(event.request.scopes).toEqualTypeOf<string[]>();
        event.response.claimsAndScopeOverrideDetails = {
          accessTokenGeneration: { claimsToAddOrOverride: { roles: ["a", "b"], level: 3 } },
        };
      }
      if (event.triggerSource === "TokenGeneration_ClientCredentials")
        expectTypeOf(event.version).toEqualTypeOf<"3">();
      return event;
    });
    defineTrigger("UserMigration", async (event) => {
      if (event.triggerSource === "UserMigration_Authentication")
        expectTypeOf(event.request.password).toBeString();
      // @ts-expect-error -- Cognito sends no password for ForgotPassword.
      else event.request.password;
      // @ts-expect-error -- Cognito accepts CONFIRMED or RESET_REQUIRED only.
      event.response.finalUserStatus = "UNCONFIRMED";
      return event;
    });
    defineTrigger("CustomEmailSender", async (event) => {
      if (event.triggerSource === "CustomEmailSender_AccountTakeOverNotification")
        expectTypeOf(
          event.request.userAttributes.ACCOUNT_TAKE_OVER_ACTION,
        ).toEqualTypeOf<aws.AccountTakeOverActionType>();
      return event;
    });
  });

  it("isSource narrows to several sources; customMessage keeps the event's type", () => {
    const event = {} as CognitoTriggerEvent;
    if (isSource(event, "CustomMessage_SignUp", "CustomMessage_ResendCode")) {
      expectTypeOf(event).toEqualTypeOf<
        CustomMessageEvent<"CustomMessage_SignUp" | "CustomMessage_ResendCode">
      >();
      expectTypeOf(customMessage(event, { smsMessage: "x" })).toEqualTypeOf(event);
    }
  });
});

describe("buildEvent", () => {
  it("returns the source's event type, narrowed to the version asked for", () => {
    expectTypeOf(buildEvent("PreSignUp_SignUp")).toEqualTypeOf<PreSignUpEvent<"PreSignUp_SignUp">>();
    expectTypeOf(buildEvent("TokenGeneration_Authentication")).toEqualTypeOf<
      PreTokenGenerationV1Event<"TokenGeneration_Authentication">
    >();
    expectTypeOf(buildEvent("TokenGeneration_RefreshTokens", { version: "3" })).toEqualTypeOf<
      PreTokenGenerationV2Event<"TokenGeneration_RefreshTokens", "3">
    >();
    expectTypeOf(buildEvent("TokenGeneration_ClientCredentials")).toEqualTypeOf<
      PreTokenGenerationV2Event<"TokenGeneration_ClientCredentials", "3">
    >();
    expectTypeOf(buildEvent("UserMigration_ForgotPassword")).toEqualTypeOf<
      EventOf<"UserMigration_ForgotPassword">
    >();
  });
});
