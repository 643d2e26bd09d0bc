// buildEvent for every triggerSource: Cognito's envelope, the request members each source carries, the pre-filled response.
import { describe, expect, it } from "vitest";
import {
  ADMIN_SCOPE,
  buildAnyEvent,
  buildEvent,
  CLIENT_ID_NOT_APPLICABLE,
  SAMPLE_CLIENT_ID,
  SAMPLE_SENDER_CODE,
  sampleUuid,
  UNKNOWN_SDK_VERSION,
} from "./build-event.js";
import { SOURCES } from "./sources.js";

const POOL = "eu-west-1_AbCdEf123";
const SUB = sampleUuid(POOL, "ana", "sub");

/** Per source: the request's members (in Cognito's order) and the response Cognito pre-fills. */
interface Expected {
  request: string[];
  response: Record<string, unknown>;
  status?: string;
}

const EXPECTED: Record<string, Expected> = {
  PreSignUp_SignUp: {
    request: ["userAttributes", "validationData", "clientMetadata"],
    response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
  },
  PreSignUp_AdminCreateUser: {
    request: ["userAttributes", "validationData", "clientMetadata"],
    response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
  },
  PreSignUp_ExternalProvider: {
    request: ["userAttributes", "validationData", "clientMetadata"],
    response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
  },
  PostConfirmation_ConfirmSignUp: {
    request: ["userAttributes", "clientMetadata"],
    response: {},
    status: "CONFIRMED",
  },
  PostConfirmation_ConfirmForgotPassword: {
    request: ["userAttributes", "clientMetadata"],
    response: {},
    status: "CONFIRMED",
  },
  PreAuthentication_Authentication: {
    request: ["userAttributes", "validationData"],
    response: {},
    status: "CONFIRMED",
  },
  PostAuthentication_Authentication: {
    request: ["userAttributes", "newDeviceUsed", "clientMetadata"],
    response: {},
    status: "CONFIRMED",
  },
  ...Object.fromEntries(
    [
      "TokenGeneration_HostedAuth",
      "TokenGeneration_Authentication",
      "TokenGeneration_NewPasswordChallenge",
      "TokenGeneration_AuthenticateDevice",
      "TokenGeneration_RefreshTokens",
    ].map((source) => [
      source,
      {
        request: ["userAttributes", "groupConfiguration", "clientMetadata"],
        response: { claimsOverrideDetails: null },
        status: "CONFIRMED",
      },
    ]),
  ),
  TokenGeneration_ClientCredentials: {
    request: ["userAttributes", "groupConfiguration", "scopes", "clientMetadata"],
    response: { claimsAndScopeOverrideDetails: null },
  },
  ...Object.fromEntries(
    [
      "SignUp",
      "AdminCreateUser",
      "ResendCode",
      "ForgotPassword",
      "UpdateUserAttribute",
      "VerifyUserAttribute",
      "Authentication",
    ].map((suffix) => [
      `CustomMessage_${suffix}`,
      {
        request: ["userAttributes", "codeParameter", "linkParameter", "usernameParameter", "clientMetadata"],
        response: { smsMessage: null, emailMessage: null, emailSubject: null },
        status:
          ({ SignUp: "UNCONFIRMED", ResendCode: "UNCONFIRMED", AdminCreateUser: "FORCE_CHANGE_PASSWORD" }[
            suffix
          ] as string | undefined) ?? "CONFIRMED",
      },
    ]),
  ),
  DefineAuthChallenge_Authentication: {
    request: ["userAttributes", "session"],
    response: { challengeName: null, issueTokens: false, failAuthentication: false },
    status: "CONFIRMED",
  },
  CreateAuthChallenge_Authentication: {
    request: ["userAttributes", "challengeName", "session"],
    response: { publicChallengeParameters: null, privateChallengeParameters: null, challengeMetadata: null },
    status: "CONFIRMED",
  },
  VerifyAuthChallengeResponse_Authentication: {
    request: ["userAttributes", "privateChallengeParameters", "challengeAnswer"],
    response: { answerCorrect: false },
    status: "CONFIRMED",
  },
  UserMigration_Authentication: {
    request: ["password", "validationData", "clientMetadata"],
    response: {
      userAttributes: null,
      finalUserStatus: null,
      messageAction: null,
      desiredDeliveryMediums: null,
      forceAliasCreation: null,
      enableSMSMFA: null,
    },
  },
  UserMigration_ForgotPassword: {
    request: ["validationData", "clientMetadata"],
    response: {
      userAttributes: null,
      finalUserStatus: null,
      messageAction: null,
      desiredDeliveryMediums: null,
      forceAliasCreation: null,
      enableSMSMFA: null,
    },
  },
  ...Object.fromEntries(
    ["CustomSMSSender", "CustomEmailSender"].flatMap((sender) =>
      [
        "SignUp",
        "ResendCode",
        "ForgotPassword",
        "UpdateUserAttribute",
        "VerifyUserAttribute",
        "AdminCreateUser",
        "Authentication",
      ].map((suffix) => [
        `${sender}_${suffix}`,
        {
          request: ["type", "code", "clientMetadata", "userAttributes"],
          response: {},
          status:
            ({ SignUp: "UNCONFIRMED", ResendCode: "UNCONFIRMED", AdminCreateUser: "FORCE_CHANGE_PASSWORD" }[
              suffix
            ] as string | undefined) ?? "CONFIRMED",
        },
      ]),
    ),
  ),
  CustomEmailSender_AccountTakeOverNotification: {
    request: ["type", "code", "clientMetadata", "userAttributes"],
    response: {},
  },
  InboundFederation_ExternalProvider: {
    request: ["providerName", "providerType", "attributes"],
    response: { userAttributesToMap: {} },
  },
};

describe("buildEvent: every source", () => {
  it("covers all 41 sources of the 13 triggers", () => {
    expect(SOURCES).toHaveLength(41);
    expect(Object.keys(EXPECTED).sort()).toEqual(SOURCES.map((s) => s.source).sort());
  });

  for (const { source, trigger, versions } of SOURCES) {
    it(`${source} (${trigger})`, () => {
      const expected = EXPECTED[source] as Expected;
      const event = buildAnyEvent(source, {
        userPoolId: POOL,
        userName: "ana",
        userAttributes: { email: "ana@example.com" },
      });
      expect(Object.keys(event)).toEqual([
        "version",
        "triggerSource",
        "region",
        "userPoolId",
        "userName",
        "callerContext",
        "request",
        "response",
      ]);
      expect(event.version).toBe(versions[0]);
      expect(event.triggerSource).toBe(source);
      expect(event.region).toBe("eu-west-1");
      expect(event.userPoolId).toBe(POOL);
      expect(event.userName).toBe("ana");
      expect(event.callerContext).toEqual({
        awsSdkVersion: UNKNOWN_SDK_VERSION,
        clientId: source.endsWith("_AdminCreateUser") ? CLIENT_ID_NOT_APPLICABLE : SAMPLE_CLIENT_ID,
      });
      expect(Object.keys(event.request)).toEqual(expected.request);
      expect(event.response).toEqual(expected.response);
      const attributes = (event.request as { userAttributes?: Record<string, string> }).userAttributes;
      if (expected.status)
        expect(attributes).toEqual({
          sub: SUB,
          email: "ana@example.com",
          "cognito:user_status": expected.status,
        });
      // The request and response are the event's own: a handler editing one sample does not edit another.
      expect(buildAnyEvent(source, { userPoolId: POOL, userName: "ana" })).not.toBe(event);
    });
  }
});

describe("buildEvent: the request members", () => {
  it("PreSignUp carries only what the caller submitted, and null maps when it sent none", () => {
    const event = buildEvent("PreSignUp_SignUp", { userAttributes: { email: "a@b.c", name: "A" } });
    expect(event.request).toEqual({
      userAttributes: { email: "a@b.c", name: "A" },
      validationData: null,
      clientMetadata: null,
    });
    const withMaps = buildEvent("PreSignUp_AdminCreateUser", {
      validationData: { captcha: "ok" },
      clientMetadata: { origin: "cli" },
    });
    expect(withMaps.request.validationData).toEqual({ captcha: "ok" });
    expect(withMaps.request.clientMetadata).toEqual({ origin: "cli" });
  });

  it("existing users: sub first, status last, both overridable", () => {
    const event = buildEvent("PostAuthentication_Authentication", {
      userName: "bo",
      userAttributes: { email: "bo@example.com", email_verified: "true" },
      sub: "1d3f5a0e-0000-4000-8000-000000000001",
      userStatus: "RESET_REQUIRED",
    });
    expect(Object.entries(event.request.userAttributes)).toEqual([
      ["sub", "1d3f5a0e-0000-4000-8000-000000000001"],
      ["email", "bo@example.com"],
      ["email_verified", "true"],
      ["cognito:user_status", "RESET_REQUIRED"],
    ]);
    // Given as attributes, they keep their place in Cognito's order.
    const given = buildEvent("PostConfirmation_ConfirmSignUp", {
      userAttributes: { "cognito:user_status": "CONFIRMED", sub: "s-1", email: "x@y.z" },
    });
    expect(Object.keys(given.request.userAttributes)).toEqual(["sub", "email", "cognito:user_status"]);
  });

  it("defaults: a sample pool, client, user and email; the sub is reproducible", () => {
    const event = buildEvent("PostConfirmation_ConfirmSignUp");
    expect(event.userPoolId).toBe("us-east-1_EXAMPLE12");
    expect(event.region).toBe("us-east-1");
    expect(event.userName).toBe("example-user");
    expect(event.request.userAttributes.email).toBe("example-user@example.com");
    expect(event.request.userAttributes.sub).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(buildEvent("PostConfirmation_ConfirmSignUp").request.userAttributes.sub).toBe(
      event.request.userAttributes.sub,
    );
    expect(buildEvent("PreSignUp_SignUp", { userName: "c@d.e" }).request.userAttributes).toEqual({
      email: "c@d.e",
    });
    expect(buildEvent("PreSignUp_SignUp", { region: "ap-south-1" }).userPoolId).toBe("ap-south-1_EXAMPLE12");
  });

  it("an explicit client and SDK version win, also for admin sources", () => {
    const event = buildEvent("CustomMessage_AdminCreateUser", {
      clientId: "abc",
      awsSdkVersion: "aws-sdk-js-3.1.0",
    });
    expect(event.callerContext).toEqual({ awsSdkVersion: "aws-sdk-js-3.1.0", clientId: "abc" });
  });

  it("PreAuthentication: validationData (InitiateAuth's ClientMetadata), userNotFound only when set", () => {
    const found = buildEvent("PreAuthentication_Authentication", {
      validationData: { k: "v" },
      userNotFound: false,
    });
    expect(found.request.validationData).toEqual({ k: "v" });
    expect(found.request.userNotFound).toBe(false);
    const unknown = buildEvent("PreAuthentication_Authentication", { userNotFound: true });
    expect(unknown.request).toEqual({ userAttributes: {}, validationData: null, userNotFound: true });
  });

  it("PreTokenGeneration: V1 without scopes, V2/V3 with them; ClientCredentials only as V3", () => {
    const groups = {
      groupsToOverride: ["admins"],
      iamRolesToOverride: ["arn:aws:iam::1:role/a"],
      preferredRole: "arn:aws:iam::1:role/a",
    };
    const v1 = buildEvent("TokenGeneration_Authentication", { groupConfiguration: groups });
    expect(v1.version).toBe("1");
    expect(v1.request.groupConfiguration).toEqual(groups);
    expect(buildEvent("TokenGeneration_RefreshTokens").request.groupConfiguration).toEqual({
      groupsToOverride: [],
      iamRolesToOverride: [],
      preferredRole: null,
    });
    const v2 = buildEvent("TokenGeneration_NewPasswordChallenge", { version: "2" });
    expect(v2.version).toBe("2");
    expect(v2.request.scopes).toEqual([ADMIN_SCOPE]);
    expect(v2.response).toEqual({ claimsAndScopeOverrideDetails: null });
    expect(
      buildEvent("TokenGeneration_Authentication", { version: "3", scopes: ["a/b"] }).request.scopes,
    ).toEqual(["a/b"]);
    const m2m = buildEvent("TokenGeneration_ClientCredentials");
    expect(m2m.version).toBe("3");
    expect(m2m.request.userAttributes).toEqual({});
    expect(m2m.request.scopes).toEqual([]);
    expect(() => buildAnyEvent("TokenGeneration_ClientCredentials", { version: "1" })).toThrow(
      'TokenGeneration_ClientCredentials events have version "3", not "1"',
    );
    expect(() => buildAnyEvent("PreSignUp_SignUp", { version: "2" })).toThrow(
      'PreSignUp_SignUp events have version "1", not "2"',
    );
  });

  it("custom auth: the session, the challenge, clientMetadata only when given", () => {
    const session = [
      { challengeName: "SRP_A" as const, challengeResult: true, challengeMetadata: null },
      { challengeName: "CUSTOM_CHALLENGE" as const, challengeResult: false, challengeMetadata: "Q1" },
    ];
    const define = buildEvent("DefineAuthChallenge_Authentication", { session, clientMetadata: { a: "b" } });
    expect(define.request.session).toEqual(session);
    expect(define.request.clientMetadata).toEqual({ a: "b" });
    expect(Object.keys(define.request)).toEqual(["userAttributes", "clientMetadata", "session"]);
    const create = buildEvent("CreateAuthChallenge_Authentication", { userNotFound: true });
    expect(create.request).toEqual({
      userAttributes: {},
      userNotFound: true,
      challengeName: "CUSTOM_CHALLENGE",
      session: [],
    });
    const verify = buildEvent("VerifyAuthChallengeResponse_Authentication", {
      privateChallengeParameters: { answer: "42" },
      challengeAnswer: "41",
    });
    expect(verify.request.privateChallengeParameters).toEqual({ answer: "42" });
    expect(verify.request.challengeAnswer).toBe("41");
  });

  it("UserMigration: the typed name, the password only for sign-in, no userAttributes", () => {
    const signIn = buildEvent("UserMigration_Authentication", {
      userName: "old@corp.example",
      password: "Legacy1!",
    });
    expect(signIn.userName).toBe("old@corp.example");
    expect(signIn.request).toEqual({ password: "Legacy1!", validationData: null, clientMetadata: null });
    expect(buildEvent("UserMigration_ForgotPassword", { clientMetadata: { k: "v" } }).request).toEqual({
      validationData: null,
      clientMetadata: { k: "v" },
    });
  });

  it("CustomMessage: the placeholders, {username} for AdminCreateUser only", () => {
    const invite = buildEvent("CustomMessage_AdminCreateUser");
    expect(invite.request).toMatchObject({
      codeParameter: "{####}",
      linkParameter: "{##Click Here##}",
      usernameParameter: "{username}",
      clientMetadata: null,
    });
    expect(buildEvent("CustomMessage_ForgotPassword").request.usernameParameter).toBeNull();
  });

  it("custom senders: the request type, a stand-in ciphertext unless a code is given", () => {
    const sms = buildEvent("CustomSMSSender_SignUp");
    expect(sms.request.type).toBe("customSMSSenderRequestV1");
    expect(sms.request.code).toBe(SAMPLE_SENDER_CODE);
    expect(Buffer.from(SAMPLE_SENDER_CODE, "base64").toString()).toMatch(/^not a ciphertext/);
    const email = buildEvent("CustomEmailSender_ForgotPassword", { code: "AYADeD" });
    expect(email.request.type).toBe("customEmailSenderRequestV1");
    expect(email.request.code).toBe("AYADeD");
    const takeover = buildEvent("CustomEmailSender_AccountTakeOverNotification", {
      userName: "ana",
      userAttributes: { CITY: "Lisbon" },
    });
    expect(takeover.request.code).toBeNull();
    expect(takeover.request.userAttributes).toMatchObject({
      USER_NAME: "ana",
      ACCOUNT_TAKE_OVER_ACTION: "BLOCK",
      CITY: "Lisbon",
    });
  });

  it("rejects an unknown source", () => {
    expect(() => buildAnyEvent("PreSignup_SignUp")).toThrow('Unknown triggerSource "PreSignup_SignUp"');
  });
});
