// Builds the event Cognito would send for a triggerSource: its envelope, request and pre-filled response.
import { createHash } from "node:crypto";
import type {
  ChallengeResult,
  CognitoTriggerEvent,
  EventOf,
  GroupConfiguration,
  ProviderType,
  StringMap,
} from "./events.js";
import { type EventVersion, sourceInfo, type TriggerSource } from "./sources.js";

/** What admin (IAM) operations send as callerContext.clientId. */
export const CLIENT_ID_NOT_APPLICABLE = "CLIENT_ID_NOT_APPLICABLE";
/** What Cognito sends when the caller's user agent names no AWS SDK. */
export const UNKNOWN_SDK_VERSION = "aws-sdk-unknown-unknown";
export const CODE_PLACEHOLDER = "{####}";
export const USERNAME_PLACEHOLDER = "{username}";
export const LINK_PLACEHOLDER = "{##Click Here##}";
/** The scope of every access token from the API sign-in flows. */
export const ADMIN_SCOPE = "aws.cognito.signin.user.admin";

/** Sample identifiers, shaped like Cognito's (pool id `<region>_<9 alphanumerics>`, 26-character client id). */
export const SAMPLE_REGION = "us-east-1";
export const SAMPLE_POOL_SUFFIX = "EXAMPLE12";
export const SAMPLE_CLIENT_ID = "1example23456789abcdefghij";
export const SAMPLE_USERNAME = "example-user";

/**
 * Stands in for the Encryption SDK ciphertext of a custom sender's `code`: base64 like the real one, so a
 * handler fails where it would fail on a bad ciphertext (in decrypt), and readable when decoded.
 */
export const SAMPLE_SENDER_CODE = Buffer.from(
  "not a ciphertext: build the event with `code` set to an AWS Encryption SDK message",
).toString("base64");

/**
 * The event's fields, by the name they have in the event (InitiateAuth's ClientMetadata is `validationData`
 * here, as Cognito passes it). A field the source does not carry is ignored.
 */
export interface BuildEventOptions<V extends EventVersion = EventVersion> {
  /** Default `<region>_EXAMPLE12`. */
  userPoolId?: string;
  /** Default: the pool id's region prefix, else us-east-1. */
  region?: string;
  userName?: string;
  /** The user's attributes (without `sub` and `cognito:user_status`, which are added where Cognito adds them). */
  userAttributes?: StringMap;
  /** Default: a UUID derived from the pool id and user name, so samples are reproducible. */
  sub?: string;
  /** `cognito:user_status`; default: what the user's status is when Cognito sends the source. */
  userStatus?: string;
  /** Default: a sample client id, or CLIENT_ID_NOT_APPLICABLE for AdminCreateUser sources. */
  clientId?: string;
  awsSdkVersion?: string;
  clientMetadata?: StringMap | null;
  validationData?: StringMap | null;
  /** PreTokenGeneration only: "1" (default), "2" or "3" (TokenGeneration_ClientCredentials: "3" only). */
  version?: V;
  groupConfiguration?: Partial<GroupConfiguration>;
  /** PreTokenGeneration V2/V3; default [aws.cognito.signin.user.admin] ([] for client credentials). */
  scopes?: string[];
  /** UserMigration_Authentication. */
  password?: string;
  /** PreAuthentication and custom auth: set only for app clients with PreventUserExistenceErrors ENABLED. */
  userNotFound?: boolean;
  newDeviceUsed?: boolean;
  /** Custom auth: earlier rounds. */
  session?: ChallengeResult[];
  /** CreateAuthChallenge; default CUSTOM_CHALLENGE. */
  challengeName?: string;
  privateChallengeParameters?: StringMap;
  challengeAnswer?: string;
  /** Custom senders: the encrypted code (base64); default a stand-in, null for account-takeover notices. */
  code?: string | null;
  providerName?: string;
  providerType?: ProviderType;
  attributes?: {
    tokenResponse?: StringMap;
    idToken?: StringMap;
    userInfo?: StringMap;
    samlResponse?: StringMap;
  };
}

/** The event type for a source and version: PreTokenGeneration sources narrow to the version asked for. */
export type BuiltEvent<
  S extends TriggerSource,
  V extends EventVersion,
> = S extends `TokenGeneration_${string}` ? Extract<EventOf<S>, { version: V }> : EventOf<S>;

type DefaultVersion<S> = S extends "TokenGeneration_ClientCredentials" ? "3" : "1";

const ADMIN_SOURCES = new Set<string>([
  "PreSignUp_AdminCreateUser",
  "CustomMessage_AdminCreateUser",
  "CustomSMSSender_AdminCreateUser",
  "CustomEmailSender_AdminCreateUser",
]);

/** The user's status when Cognito sends the source (CONFIRMED unless listed). */
const STATUS_BY_SUFFIX: Record<string, string> = {
  SignUp: "UNCONFIRMED",
  ResendCode: "UNCONFIRMED",
  AdminCreateUser: "FORCE_CHANGE_PASSWORD",
};

/**
 * The event Cognito sends for `source`, as the local server builds it (src/cognito/domain/triggers.ts):
 * `version` a string, `callerContext`, `request` with `userAttributes` (with `sub` and
 * `cognito:user_status` for existing users), `validationData` / `clientMetadata` null when absent, and
 * `response` pre-filled with Cognito's defaults. Throws a TypeError for an unknown source or a version
 * the source does not have.
 */
export function buildEvent<S extends TriggerSource, V extends EventVersion = DefaultVersion<S>>(
  source: S,
  options: BuildEventOptions<V> = {},
): BuiltEvent<S, V> {
  const info = sourceInfo(source);
  if (!info) throw new TypeError(`Unknown triggerSource "${source}"`);
  const version: EventVersion = options.version ?? info.versions[0] ?? "1";
  if (!info.versions.includes(version))
    throw new TypeError(
      `${source} events have version ${info.versions.map((v) => `"${v}"`).join(" or ")}, not "${version}"`,
    );
  const region = options.region ?? regionOf(options.userPoolId) ?? SAMPLE_REGION;
  const userPoolId = options.userPoolId ?? `${region}_${SAMPLE_POOL_SUFFIX}`;
  const userName = options.userName ?? SAMPLE_USERNAME;
  const clientId =
    options.clientId ?? (ADMIN_SOURCES.has(source) ? CLIENT_ID_NOT_APPLICABLE : SAMPLE_CLIENT_ID);
  const parts = requestAndResponse(source, info.trigger, version, { ...options, userPoolId, userName });
  const event = {
    version,
    triggerSource: source,
    region,
    userPoolId,
    userName,
    callerContext: { awsSdkVersion: options.awsSdkVersion ?? UNKNOWN_SDK_VERSION, clientId },
    request: parts.request,
    response: parts.response,
  };
  return event as unknown as BuiltEvent<S, V>;
}

/** Builds any source's event when the source is only known at run time (the CLI). */
export function buildAnyEvent(source: string, options: BuildEventOptions = {}): CognitoTriggerEvent {
  return buildEvent(source as TriggerSource, options) as CognitoTriggerEvent;
}

type Parts = { request: Record<string, unknown>; response: Record<string, unknown> };
type Resolved = BuildEventOptions & { userPoolId: string; userName: string };

function requestAndResponse(
  source: TriggerSource,
  trigger: string,
  version: EventVersion,
  o: Resolved,
): Parts {
  const clientMetadata = o.clientMetadata ?? null;
  const validationData = o.validationData ?? null;
  const userNotFound = o.userNotFound === undefined ? {} : { userNotFound: o.userNotFound };
  const existing = () => (o.userNotFound ? {} : existingUserAttributes(source, o));
  // Custom auth sends RespondToAuthChallenge's ClientMetadata only, and leaves the key out without it.
  const customAuth = () => ({
    userAttributes: existing(),
    ...(o.clientMetadata ? { clientMetadata: o.clientMetadata } : {}),
    ...userNotFound,
  });
  switch (trigger) {
    case "PreSignUp":
      return {
        request: { userAttributes: submittedAttributes(o), validationData, clientMetadata },
        response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
      };
    case "PostConfirmation":
      return { request: { userAttributes: existing(), clientMetadata }, response: {} };
    case "PreAuthentication":
      return { request: { userAttributes: existing(), validationData, ...userNotFound }, response: {} };
    case "PostAuthentication":
      return {
        request: { userAttributes: existing(), newDeviceUsed: o.newDeviceUsed ?? false, clientMetadata },
        response: {},
      };
    case "PreTokenGeneration":
      return preTokenGeneration(source, version, o);
    case "DefineAuthChallenge":
      return {
        request: { ...customAuth(), session: o.session ?? [] },
        response: { challengeName: null, issueTokens: false, failAuthentication: false },
      };
    case "CreateAuthChallenge":
      return {
        request: {
          ...customAuth(),
          challengeName: o.challengeName ?? "CUSTOM_CHALLENGE",
          session: o.session ?? [],
        },
        response: {
          publicChallengeParameters: null,
          privateChallengeParameters: null,
          challengeMetadata: null,
        },
      };
    case "VerifyAuthChallengeResponse":
      return {
        request: {
          ...customAuth(),
          privateChallengeParameters: o.privateChallengeParameters ?? {},
          challengeAnswer: o.challengeAnswer ?? "",
        },
        response: { answerCorrect: false },
      };
    case "UserMigration":
      return {
        request:
          source === "UserMigration_Authentication"
            ? { password: o.password ?? "Passw0rd!", validationData, clientMetadata }
            : { validationData, clientMetadata },
        response: {
          userAttributes: null,
          finalUserStatus: null,
          messageAction: null,
          desiredDeliveryMediums: null,
          forceAliasCreation: null,
          enableSMSMFA: null,
        },
      };
    case "CustomMessage":
      return {
        request: {
          userAttributes: existing(),
          codeParameter: CODE_PLACEHOLDER,
          linkParameter: LINK_PLACEHOLDER,
          usernameParameter: source === "CustomMessage_AdminCreateUser" ? USERNAME_PLACEHOLDER : null,
          clientMetadata,
        },
        response: { smsMessage: null, emailMessage: null, emailSubject: null },
      };
    case "CustomSMSSender":
    case "CustomEmailSender":
      return customSender(source, trigger, o);
    default:
      return {
        request: {
          providerName: o.providerName ?? "ExampleProvider",
          providerType: o.providerType ?? "OIDC",
          attributes: o.attributes ?? { tokenResponse: {}, idToken: {}, userInfo: {} },
        },
        response: { userAttributesToMap: {} },
      };
  }
}

function preTokenGeneration(source: TriggerSource, version: EventVersion, o: Resolved): Parts {
  const machine = source === "TokenGeneration_ClientCredentials";
  const groupConfiguration: GroupConfiguration = {
    groupsToOverride: o.groupConfiguration?.groupsToOverride ?? [],
    iamRolesToOverride: o.groupConfiguration?.iamRolesToOverride ?? [],
    preferredRole: o.groupConfiguration?.preferredRole ?? null,
  };
  const userAttributes = machine ? { ...o.userAttributes } : existingUserAttributes(source, o);
  if (version === "1")
    return {
      request: { userAttributes, groupConfiguration, clientMetadata: o.clientMetadata ?? null },
      response: { claimsOverrideDetails: null },
    };
  return {
    request: {
      userAttributes,
      groupConfiguration,
      scopes: o.scopes ?? (machine ? [] : [ADMIN_SCOPE]),
      clientMetadata: o.clientMetadata ?? null,
    },
    response: { claimsAndScopeOverrideDetails: null },
  };
}

function customSender(source: TriggerSource, trigger: string, o: Resolved): Parts {
  const type = trigger === "CustomSMSSender" ? "customSMSSenderRequestV1" : "customEmailSenderRequestV1";
  if (source === "CustomEmailSender_AccountTakeOverNotification")
    return {
      request: {
        type,
        code: o.code ?? null,
        clientMetadata: o.clientMetadata ?? null,
        userAttributes: {
          EVENT_ID: sampleUuid(o.userPoolId, o.userName, "event"),
          USER_NAME: o.userName,
          IP_ADDRESS: "192.0.2.1",
          ACCOUNT_TAKE_OVER_ACTION: "BLOCK",
          ONE_CLICK_LINK_VALID: "https://example.com/valid",
          ONE_CLICK_LINK_INVALID: "https://example.com/invalid",
          LOGIN_TIME: "2026-01-15T12:00:00Z",
          FEEDBACK_TOKEN: "example-feedback-token",
          ...o.userAttributes,
        },
      },
      response: {},
    };
  return {
    request: {
      type,
      code: o.code === undefined ? SAMPLE_SENDER_CODE : o.code,
      clientMetadata: o.clientMetadata ?? null,
      userAttributes: existingUserAttributes(source, o),
    },
    response: {},
  };
}

/** PreSignUp: only what the caller submitted. */
function submittedAttributes(o: Resolved): StringMap {
  return { ...(o.userAttributes ?? defaultAttributes(o.userName)) };
}

/** An existing user's attributes as triggers see them: `sub` first, `cognito:user_status` last. */
function existingUserAttributes(source: TriggerSource, o: Resolved): StringMap {
  const { sub, "cognito:user_status": status, ...rest } = o.userAttributes ?? defaultAttributes(o.userName);
  const suffix = source.slice(source.indexOf("_") + 1);
  return {
    sub: o.sub ?? sub ?? sampleUuid(o.userPoolId, o.userName, "sub"),
    ...rest,
    "cognito:user_status": o.userStatus ?? status ?? STATUS_BY_SUFFIX[suffix] ?? "CONFIRMED",
  };
}

function defaultAttributes(userName: string): StringMap {
  return { email: userName.includes("@") ? userName : `${userName}@example.com` };
}

/** `us-east-1_AbC` → `us-east-1`. */
function regionOf(userPoolId: string | undefined): string | undefined {
  const match = userPoolId?.match(/^([a-z]{2}(?:-[a-z]+)+-\d+)_/);
  return match?.[1];
}

/** A UUID v4-shaped id derived from its inputs: the same sample event every time. */
export function sampleUuid(...parts: string[]): string {
  const hex = createHash("sha256").update(parts.join("\0")).digest("hex");
  const variant = ((Number.parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
