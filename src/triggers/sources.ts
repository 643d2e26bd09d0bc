// Every triggerSource of the 13 LambdaConfig triggers: which trigger receives it and what fires it.
import type { LambdaConfigTrigger } from "./catalog.js";

/** Per LambdaConfig slot, the `triggerSource` values Cognito sends to its function (reference §1.1). */
export const TRIGGER_SOURCES = {
  PreSignUp: ["PreSignUp_SignUp", "PreSignUp_AdminCreateUser", "PreSignUp_ExternalProvider"],
  PostConfirmation: ["PostConfirmation_ConfirmSignUp", "PostConfirmation_ConfirmForgotPassword"],
  PreAuthentication: ["PreAuthentication_Authentication"],
  PostAuthentication: ["PostAuthentication_Authentication"],
  PreTokenGeneration: [
    "TokenGeneration_HostedAuth",
    "TokenGeneration_Authentication",
    "TokenGeneration_NewPasswordChallenge",
    "TokenGeneration_AuthenticateDevice",
    "TokenGeneration_RefreshTokens",
    "TokenGeneration_ClientCredentials",
  ],
  CustomMessage: [
    "CustomMessage_SignUp",
    "CustomMessage_AdminCreateUser",
    "CustomMessage_ResendCode",
    "CustomMessage_ForgotPassword",
    "CustomMessage_UpdateUserAttribute",
    "CustomMessage_VerifyUserAttribute",
    "CustomMessage_Authentication",
  ],
  DefineAuthChallenge: ["DefineAuthChallenge_Authentication"],
  CreateAuthChallenge: ["CreateAuthChallenge_Authentication"],
  VerifyAuthChallengeResponse: ["VerifyAuthChallengeResponse_Authentication"],
  UserMigration: ["UserMigration_Authentication", "UserMigration_ForgotPassword"],
  CustomSMSSender: [
    "CustomSMSSender_SignUp",
    "CustomSMSSender_ResendCode",
    "CustomSMSSender_ForgotPassword",
    "CustomSMSSender_UpdateUserAttribute",
    "CustomSMSSender_VerifyUserAttribute",
    "CustomSMSSender_AdminCreateUser",
    "CustomSMSSender_Authentication",
  ],
  CustomEmailSender: [
    "CustomEmailSender_SignUp",
    "CustomEmailSender_ResendCode",
    "CustomEmailSender_ForgotPassword",
    "CustomEmailSender_UpdateUserAttribute",
    "CustomEmailSender_VerifyUserAttribute",
    "CustomEmailSender_AdminCreateUser",
    "CustomEmailSender_AccountTakeOverNotification",
    "CustomEmailSender_Authentication",
  ],
  InboundFederation: ["InboundFederation_ExternalProvider"],
} as const satisfies Record<LambdaConfigTrigger, readonly string[]>;

export type SourceOf<T extends LambdaConfigTrigger> = (typeof TRIGGER_SOURCES)[T][number];
export type TriggerSource = SourceOf<LambdaConfigTrigger>;
/** The LambdaConfig slot whose function receives source `S`. */
export type TriggerOf<S extends TriggerSource> = {
  [T in LambdaConfigTrigger]: S extends SourceOf<T> ? T : never;
}[LambdaConfigTrigger];

/** PreTokenGeneration's event `version` per PreTokenGenerationConfig.LambdaVersion (V1_0, V2_0, V3_0). */
export type EventVersion = "1" | "2" | "3";

export interface SourceInfo {
  source: TriggerSource;
  trigger: LambdaConfigTrigger;
  /** Event versions Cognito sends for it: "1", except PreTokenGeneration ("1"-"3"; ClientCredentials "3"). */
  versions: readonly EventVersion[];
  /** Custom senders are invoked asynchronously; every other trigger synchronously. */
  async: boolean;
  /** The API calls (or flows) after which Cognito sends it (reference §1.4). */
  firedBy: string;
  /** Why the local edge never sends it, when it does not (the event can still be built and invoked). */
  notFiredLocally?: string;
}

const FEDERATION = "federated sign-in through managed login is not emulated";
const HOSTED = "the hosted UI / managed login is not emulated";

const FIRED_BY: Record<TriggerSource, string | [string, string]> = {
  PreSignUp_SignUp: "SignUp",
  PreSignUp_AdminCreateUser: "AdminCreateUser",
  PreSignUp_ExternalProvider: ["first federated sign-in", FEDERATION],
  PostConfirmation_ConfirmSignUp: "ConfirmSignUp, AdminConfirmSignUp, SignUp auto-confirmed by PreSignUp",
  PostConfirmation_ConfirmForgotPassword: "ConfirmForgotPassword",
  PreAuthentication_Authentication: "InitiateAuth, AdminInitiateAuth (password, SRP and custom flows)",
  PostAuthentication_Authentication: "a sign-in that issues tokens",
  TokenGeneration_HostedAuth: ["managed login sign-in", HOSTED],
  TokenGeneration_Authentication: "a sign-in that issues tokens",
  TokenGeneration_NewPasswordChallenge: "RespondToAuthChallenge NEW_PASSWORD_REQUIRED",
  TokenGeneration_AuthenticateDevice: [
    "RespondToAuthChallenge DEVICE_PASSWORD_VERIFIER",
    "device tracking (ConfirmDevice, DEVICE_SRP_AUTH) is not emulated",
  ],
  TokenGeneration_RefreshTokens: "InitiateAuth REFRESH_TOKEN_AUTH",
  TokenGeneration_ClientCredentials: [
    "client_credentials at /oauth2/token (V3_0 only)",
    "the OAuth 2.0 token endpoint is not emulated",
  ],
  CustomMessage_SignUp: "SignUp (a confirmation code is sent)",
  CustomMessage_AdminCreateUser: "AdminCreateUser (the invitation)",
  CustomMessage_ResendCode: "ResendConfirmationCode",
  CustomMessage_ForgotPassword: "ForgotPassword, AdminResetUserPassword",
  CustomMessage_UpdateUserAttribute:
    "UpdateUserAttributes, AdminUpdateUserAttributes (email or phone changed)",
  CustomMessage_VerifyUserAttribute: "GetUserAttributeVerificationCode",
  CustomMessage_Authentication: "a sign-in that sends an MFA code",
  DefineAuthChallenge_Authentication: "InitiateAuth CUSTOM_AUTH, each RespondToAuthChallenge of it",
  CreateAuthChallenge_Authentication: "DefineAuthChallenge chose CUSTOM_CHALLENGE",
  VerifyAuthChallengeResponse_Authentication: "RespondToAuthChallenge CUSTOM_CHALLENGE",
  UserMigration_Authentication: "USER_PASSWORD_AUTH / ADMIN_USER_PASSWORD_AUTH sign-in of an unknown user",
  UserMigration_ForgotPassword: "ForgotPassword for an unknown user",
  CustomSMSSender_SignUp: "SignUp (code by SMS)",
  CustomSMSSender_ResendCode: "ResendConfirmationCode (SMS)",
  CustomSMSSender_ForgotPassword: "ForgotPassword, AdminResetUserPassword (SMS)",
  CustomSMSSender_UpdateUserAttribute: "UpdateUserAttributes, AdminUpdateUserAttributes (phone changed)",
  CustomSMSSender_VerifyUserAttribute: "GetUserAttributeVerificationCode (SMS)",
  CustomSMSSender_AdminCreateUser: "AdminCreateUser (invitation by SMS)",
  CustomSMSSender_Authentication: "a sign-in that sends an SMS MFA code",
  CustomEmailSender_SignUp: "SignUp (code by email)",
  CustomEmailSender_ResendCode: "ResendConfirmationCode (email)",
  CustomEmailSender_ForgotPassword: "ForgotPassword, AdminResetUserPassword (email)",
  CustomEmailSender_UpdateUserAttribute: "UpdateUserAttributes, AdminUpdateUserAttributes (email changed)",
  CustomEmailSender_VerifyUserAttribute: "GetUserAttributeVerificationCode (email)",
  CustomEmailSender_AdminCreateUser: "AdminCreateUser (invitation by email)",
  CustomEmailSender_AccountTakeOverNotification: [
    "threat protection detected an account takeover",
    "threat protection (advanced security) is not emulated",
  ],
  CustomEmailSender_Authentication: "a sign-in that sends an email MFA / OTP code",
  InboundFederation_ExternalProvider: ["federated sign-in through managed login", FEDERATION],
};

/** Triggers the local edge accepts in LambdaConfig but never invokes, and why. */
export const UNSUPPORTED_TRIGGERS: Readonly<Partial<Record<LambdaConfigTrigger, string>>> = {
  InboundFederation: `not supported until federation exists: ${FEDERATION}`,
};

function versionsOf(trigger: LambdaConfigTrigger, source: TriggerSource): readonly EventVersion[] {
  if (source === "TokenGeneration_ClientCredentials") return ["3"];
  return trigger === "PreTokenGeneration" ? ["1", "2", "3"] : ["1"];
}

/** Every source, in the order of TRIGGER_SOURCES. */
export const SOURCES: readonly SourceInfo[] = Object.entries(TRIGGER_SOURCES).flatMap(([trigger, sources]) =>
  sources.map((source: TriggerSource): SourceInfo => {
    const slot = trigger as LambdaConfigTrigger;
    const fired = FIRED_BY[source];
    const info: SourceInfo = {
      source,
      trigger: slot,
      versions: versionsOf(slot, source),
      async: slot === "CustomSMSSender" || slot === "CustomEmailSender",
      firedBy: typeof fired === "string" ? fired : fired[0],
    };
    if (typeof fired !== "string") info.notFiredLocally = fired[1];
    return info;
  }),
);

const BY_SOURCE = new Map<string, SourceInfo>(SOURCES.map((info) => [info.source, info]));

export function isTriggerSource(value: unknown): value is TriggerSource {
  return typeof value === "string" && BY_SOURCE.has(value);
}

export function sourceInfo(source: string): SourceInfo | undefined {
  return BY_SOURCE.get(source);
}

/** The LambdaConfig slot that receives `source`, or undefined for an unknown source. */
export function triggerOfSource(source: string): LambdaConfigTrigger | undefined {
  return BY_SOURCE.get(source)?.trigger;
}
