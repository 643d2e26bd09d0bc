// Cognito trigger events and responses as types: one union discriminated on triggerSource, as Cognito sends them.
//
// Faithful to what arrives, not to @types/aws-lambda where the two differ: maps Cognito sends as `null`
// are typed `| null`, PreTokenGeneration V2/V3 claims take JSON values, and `version` tells PreTokenGeneration
// V1 from V2/V3. test/types/events.test.ts pins down both directions of assignability.
import type { LambdaConfigTrigger } from "./catalog.js";
import type { SourceOf, TriggerSource } from "./sources.js";

export type StringMap = Record<string, string>;

export interface CallerContext {
  /** From the caller's user agent, e.g. `aws-sdk-js-3.1169.0`; `aws-sdk-unknown-unknown` when unknown. */
  awsSdkVersion: string;
  /** The app client; `CLIENT_ID_NOT_APPLICABLE` for admin (IAM) operations without one. */
  clientId: string;
}

/** The envelope every trigger event shares (reference §1.3). */
export interface TriggerEventBase<S extends TriggerSource = TriggerSource, V extends string = string> {
  /** A string: "1" for every trigger; "2" / "3" for PreTokenGeneration V2_0 / V3_0. */
  version: V;
  triggerSource: S;
  region: string;
  userPoolId: string;
  /** The pool's internal username (a UUID in email-as-username pools); the typed name for UserMigration. */
  userName: string;
  callerContext: CallerContext;
}

type Event<S extends TriggerSource, Request, Response, V extends string = string> = TriggerEventBase<S, V> & {
  request: Request;
  response: Response;
};

/** The response of triggers whose output Cognito ignores: it sends `{}`. */
export type EmptyResponse = Record<string, never>;

// --- PreSignUp -------------------------------------------------------------------------------------

export interface PreSignUpRequest {
  /** Only what the caller submitted: no `sub`, no `cognito:user_status`. */
  userAttributes: StringMap;
  /** SignUp / AdminCreateUser ValidationData; `null` when the caller sent none. */
  validationData?: StringMap | null;
  clientMetadata?: StringMap | null;
}

export interface PreSignUpResponse {
  autoConfirmUser: boolean;
  autoVerifyEmail: boolean;
  autoVerifyPhone: boolean;
}

export type PreSignUpEvent<S extends SourceOf<"PreSignUp"> = SourceOf<"PreSignUp">> = S extends unknown
  ? Event<S, PreSignUpRequest, PreSignUpResponse>
  : never;

// --- PostConfirmation ------------------------------------------------------------------------------

export interface PostConfirmationRequest {
  /** With `sub` and `cognito:user_status` (now CONFIRMED). */
  userAttributes: StringMap;
  clientMetadata?: StringMap | null;
}

export type PostConfirmationEvent<S extends SourceOf<"PostConfirmation"> = SourceOf<"PostConfirmation">> =
  S extends unknown ? Event<S, PostConfirmationRequest, EmptyResponse> : never;

// --- PreAuthentication / PostAuthentication ----------------------------------------------------------

export interface PreAuthenticationRequest {
  /** Empty when `userNotFound` is true. */
  userAttributes: StringMap;
  /** InitiateAuth / AdminInitiateAuth ClientMetadata arrives here, not in clientMetadata. */
  validationData?: StringMap | null;
  /** Present only when the app client has PreventUserExistenceErrors ENABLED. */
  userNotFound?: boolean;
}

export type PreAuthenticationEvent = Event<
  "PreAuthentication_Authentication",
  PreAuthenticationRequest,
  EmptyResponse
>;

export interface PostAuthenticationRequest {
  userAttributes: StringMap;
  newDeviceUsed: boolean;
  /** RespondToAuthChallenge ClientMetadata only; InitiateAuth's never reaches it. */
  clientMetadata?: StringMap | null;
}

export type PostAuthenticationEvent = Event<
  "PostAuthentication_Authentication",
  PostAuthenticationRequest,
  EmptyResponse
>;

// --- PreTokenGeneration ----------------------------------------------------------------------------

/** The sources with a user; TokenGeneration_ClientCredentials (M2M) comes only as a V3 event. */
export type UserTokenSource = Exclude<SourceOf<"PreTokenGeneration">, "TokenGeneration_ClientCredentials">;

/** The groups the tokens would carry, in precedence order. */
export interface GroupConfiguration {
  groupsToOverride: string[];
  iamRolesToOverride: string[];
  preferredRole: string | null;
}

/** Replaces the group configuration; an empty or null object removes `cognito:groups` from the tokens. */
export interface GroupOverrideDetails {
  groupsToOverride?: string[] | null;
  iamRolesToOverride?: string[] | null;
  preferredRole?: string | null;
}

export interface ClaimsOverrideDetails {
  /** V1: string values, ID token only. */
  claimsToAddOrOverride?: StringMap | null;
  claimsToSuppress?: string[] | null;
  groupOverrideDetails?: GroupOverrideDetails | null;
}

export interface PreTokenGenerationV1Request {
  userAttributes: StringMap;
  groupConfiguration: GroupConfiguration;
  clientMetadata?: StringMap | null;
}

export interface PreTokenGenerationV1Response {
  /** Pre-filled with null: no change. */
  claimsOverrideDetails: ClaimsOverrideDetails | null;
}

/** V2/V3 claim values: JSON (ID-token `email_verified`, `phone_number_verified`, `updated_at`, `address` keep their types). */
export type ClaimValue = string | number | boolean | ClaimValue[] | { [key: string]: ClaimValue };

export interface IdTokenGeneration {
  claimsToAddOrOverride?: Record<string, ClaimValue> | null;
  claimsToSuppress?: string[] | null;
}

export interface AccessTokenGeneration extends IdTokenGeneration {
  scopesToAdd?: string[] | null;
  scopesToSuppress?: string[] | null;
}

export interface ClaimsAndScopeOverrideDetails {
  idTokenGeneration?: IdTokenGeneration | null;
  accessTokenGeneration?: AccessTokenGeneration | null;
  groupOverrideDetails?: GroupOverrideDetails | null;
}

export interface PreTokenGenerationV2Request extends PreTokenGenerationV1Request {
  /** The scopes the access token will carry (`aws.cognito.signin.user.admin` for API sign-in). */
  scopes: string[];
}

export interface PreTokenGenerationV2Response {
  /** Pre-filled with null: no change. */
  claimsAndScopeOverrideDetails: ClaimsAndScopeOverrideDetails | null;
}

/** PreTokenGenerationConfig V1_0 (or the legacy PreTokenGeneration ARN): `version` "1". */
export type PreTokenGenerationV1Event<S extends UserTokenSource = UserTokenSource> = S extends unknown
  ? Event<S, PreTokenGenerationV1Request, PreTokenGenerationV1Response, "1">
  : never;

/** V2_0 (`version` "2", user sign-in only) or V3_0 (`version` "3", also client credentials). */
export type PreTokenGenerationV2Event<
  S extends SourceOf<"PreTokenGeneration"> = SourceOf<"PreTokenGeneration">,
  V extends "2" | "3" = "2" | "3",
> = S extends unknown
  ? V extends unknown
    ? V extends "2"
      ? S extends UserTokenSource
        ? Event<S, PreTokenGenerationV2Request, PreTokenGenerationV2Response, "2">
        : never
      : Event<S, PreTokenGenerationV2Request, PreTokenGenerationV2Response, "3">
    : never
  : never;

export type PreTokenGenerationEvent<
  S extends SourceOf<"PreTokenGeneration"> = SourceOf<"PreTokenGeneration">,
> = PreTokenGenerationV1Event<Extract<S, UserTokenSource>> | PreTokenGenerationV2Event<S>;

// --- Custom authentication --------------------------------------------------------------------------

/** One earlier round of the custom flow; `session[0]` is the first. */
export type ChallengeResult =
  | {
      challengeName: "CUSTOM_CHALLENGE";
      challengeResult: boolean;
      /** What CreateAuthChallenge returned as challengeMetadata for that round. */
      challengeMetadata?: string | null;
    }
  | {
      challengeName:
        | "SRP_A"
        | "PASSWORD_VERIFIER"
        | "SMS_MFA"
        | "DEVICE_SRP_AUTH"
        | "DEVICE_PASSWORD_VERIFIER"
        | "ADMIN_NO_SRP_AUTH";
      challengeResult: boolean;
      challengeMetadata?: null;
    };

export interface DefineAuthChallengeRequest {
  userAttributes: StringMap;
  session: ChallengeResult[];
  userNotFound?: boolean;
  /** RespondToAuthChallenge ClientMetadata only. */
  clientMetadata?: StringMap | null;
}

export interface DefineAuthChallengeResponse {
  /** `CUSTOM_CHALLENGE`, or `PASSWORD_VERIFIER` after SRP_A for Cognito's own SRP step. */
  challengeName?: "CUSTOM_CHALLENGE" | "PASSWORD_VERIFIER" | (string & {}) | null;
  issueTokens: boolean;
  failAuthentication: boolean;
}

export type DefineAuthChallengeEvent = Event<
  "DefineAuthChallenge_Authentication",
  DefineAuthChallengeRequest,
  DefineAuthChallengeResponse
>;

export interface CreateAuthChallengeRequest {
  userAttributes: StringMap;
  /** What DefineAuthChallenge chose: `CUSTOM_CHALLENGE`. */
  challengeName: string;
  session: ChallengeResult[];
  userNotFound?: boolean;
  clientMetadata?: StringMap | null;
}

export interface CreateAuthChallengeResponse {
  /** Returned to the client as ChallengeParameters. */
  publicChallengeParameters: StringMap | null;
  /** Passed to VerifyAuthChallengeResponse, never to the client. */
  privateChallengeParameters: StringMap | null;
  /** Recorded in the session as this round's challengeMetadata. */
  challengeMetadata: string | null;
}

export type CreateAuthChallengeEvent = Event<
  "CreateAuthChallenge_Authentication",
  CreateAuthChallengeRequest,
  CreateAuthChallengeResponse
>;

export interface VerifyAuthChallengeResponseRequest {
  userAttributes: StringMap;
  privateChallengeParameters: StringMap;
  /** The client's ChallengeResponses.ANSWER. */
  challengeAnswer: string;
  userNotFound?: boolean;
  clientMetadata?: StringMap | null;
}

export interface VerifyAuthChallengeResponseResponse {
  answerCorrect: boolean;
}

export type VerifyAuthChallengeResponseEvent = Event<
  "VerifyAuthChallengeResponse_Authentication",
  VerifyAuthChallengeResponseRequest,
  VerifyAuthChallengeResponseResponse
>;

// --- UserMigration ---------------------------------------------------------------------------------

export interface UserMigrationAuthenticationRequest {
  /** The password the user typed (the policy is not enforced on it). */
  password: string;
  /** InitiateAuth ClientMetadata arrives here. */
  validationData?: StringMap | null;
  clientMetadata?: StringMap | null;
}

/** ForgotPassword sends no password. */
export interface UserMigrationForgotPasswordRequest {
  validationData?: StringMap | null;
  clientMetadata?: StringMap | null;
}

/** Cognito pre-fills every member with null. */
export interface UserMigrationResponse {
  /** The new user's attributes (no `sub`); null or empty: no migration. */
  userAttributes: StringMap | null;
  /** CONFIRMED signs the user in now; absent or null means RESET_REQUIRED. */
  finalUserStatus?: "CONFIRMED" | "RESET_REQUIRED" | null;
  /** SUPPRESS: no welcome message. */
  messageAction?: "SUPPRESS" | null;
  desiredDeliveryMediums: Array<"EMAIL" | "SMS"> | null;
  /** Take an alias another user holds instead of failing. */
  forceAliasCreation?: boolean | null;
  enableSMSMFA?: boolean | null;
}

export type UserMigrationEvent<S extends SourceOf<"UserMigration"> = SourceOf<"UserMigration">> =
  S extends "UserMigration_Authentication"
    ? Event<S, UserMigrationAuthenticationRequest, UserMigrationResponse>
    : S extends "UserMigration_ForgotPassword"
      ? Event<S, UserMigrationForgotPasswordRequest, UserMigrationResponse>
      : never;

// --- CustomMessage ---------------------------------------------------------------------------------

export interface CustomMessageRequest {
  userAttributes: StringMap;
  /** Always the placeholder `{####}`: Cognito puts the code (or temporary password) in after the handler. */
  codeParameter: string;
  /** The verify-by-link placeholder (`{##Click Here##}`). */
  linkParameter: string;
  /** `{username}` for CustomMessage_AdminCreateUser, otherwise null. */
  usernameParameter: string | null;
  clientMetadata?: StringMap | null;
}

/** Pre-filled with null; a null member keeps the pool's own template for that channel. */
export interface CustomMessageResponse {
  smsMessage: string | null;
  emailMessage: string | null;
  emailSubject: string | null;
}

export type CustomMessageEvent<S extends SourceOf<"CustomMessage"> = SourceOf<"CustomMessage">> =
  S extends unknown ? Event<S, CustomMessageRequest, CustomMessageResponse> : never;

// --- Custom senders --------------------------------------------------------------------------------

export interface CustomSenderRequest {
  /** `customSMSSenderRequestV1` / `customEmailSenderRequestV1`. */
  type: string;
  /**
   * The code or temporary password, encrypted with the AWS Encryption SDK under the pool's KMSKeyID and
   * base64-encoded; null when there is none (account-takeover notifications).
   */
  code: string | null;
  userAttributes: StringMap;
  clientMetadata?: StringMap | null;
}

export type AccountTakeOverAction = "BLOCK" | "NO_ACTION" | "MFA" | "MFA_IF_CONFIGURED" | "MFA_REQUIRED";

export interface AccountTakeOverAttributes {
  EVENT_ID: string;
  USER_NAME: string;
  IP_ADDRESS: string;
  ACCOUNT_TAKE_OVER_ACTION: AccountTakeOverAction;
  ONE_CLICK_LINK_VALID: string;
  ONE_CLICK_LINK_INVALID: string;
  LOGIN_TIME: string;
  FEEDBACK_TOKEN: string;
  CITY?: string;
  COUNTRY?: string;
  DEVICE_NAME?: string;
}

export interface AccountTakeOverRequest extends Omit<CustomSenderRequest, "userAttributes"> {
  userAttributes: AccountTakeOverAttributes;
}

export type CustomSMSSenderEvent<S extends SourceOf<"CustomSMSSender"> = SourceOf<"CustomSMSSender">> =
  S extends unknown ? Event<S, CustomSenderRequest, EmptyResponse> : never;

export type CustomEmailSenderEvent<S extends SourceOf<"CustomEmailSender"> = SourceOf<"CustomEmailSender">> =
  S extends "CustomEmailSender_AccountTakeOverNotification"
    ? Event<S, AccountTakeOverRequest, EmptyResponse>
    : S extends unknown
      ? Event<S, CustomSenderRequest, EmptyResponse>
      : never;

// --- InboundFederation (not fired by the local edge) -------------------------------------------------

export type ProviderType = "OIDC" | "SAML" | "Facebook" | "Google" | "SignInWithApple" | "LoginWithAmazon";

export interface InboundFederationRequest {
  providerName: string;
  providerType: ProviderType;
  attributes: {
    tokenResponse?: StringMap;
    idToken?: StringMap;
    userInfo?: StringMap;
    samlResponse?: StringMap;
  };
}

export interface InboundFederationResponse {
  userAttributesToMap: StringMap;
}

export type InboundFederationEvent = Event<
  "InboundFederation_ExternalProvider",
  InboundFederationRequest,
  InboundFederationResponse
>;

// --- The unions ------------------------------------------------------------------------------------

/** Per LambdaConfig slot, the union of the events its function receives. */
export interface TriggerEvents {
  PreSignUp: PreSignUpEvent;
  PostConfirmation: PostConfirmationEvent;
  PreAuthentication: PreAuthenticationEvent;
  PostAuthentication: PostAuthenticationEvent;
  PreTokenGeneration: PreTokenGenerationEvent;
  CustomMessage: CustomMessageEvent;
  DefineAuthChallenge: DefineAuthChallengeEvent;
  CreateAuthChallenge: CreateAuthChallengeEvent;
  VerifyAuthChallengeResponse: VerifyAuthChallengeResponseEvent;
  UserMigration: UserMigrationEvent;
  CustomSMSSender: CustomSMSSenderEvent;
  CustomEmailSender: CustomEmailSenderEvent;
  InboundFederation: InboundFederationEvent;
}

export type TriggerEvent<T extends LambdaConfigTrigger = LambdaConfigTrigger> = TriggerEvents[T];

/** Every event Cognito sends to a trigger, discriminated on `triggerSource` (and `version` for tokens). */
export type CognitoTriggerEvent = TriggerEvent<LambdaConfigTrigger>;

/** The event(s) of one source: PreTokenGeneration sources are a union over their versions. */
export type EventOf<S extends TriggerSource> = Extract<CognitoTriggerEvent, { triggerSource: S }>;

/** The `response` a trigger's handler fills in (Cognito reads nothing else of what it returns). */
export type TriggerResponse<T extends LambdaConfigTrigger = LambdaConfigTrigger> =
  TriggerEvent<T>["response"];
