// What Cognito accepts in each trigger's `response`: the normalised response, or the error Cognito answers with.

/** A Cognito error by wire name and message (the server turns it into its CognitoError). */
export interface ResponseProblem {
  type: "InvalidLambdaResponseException" | "InvalidParameterException";
  message: string;
}

export type ResponseCheck =
  | { ok: true; response: Record<string, unknown> }
  | { ok: false; problem: ResponseProblem };

export const UNRECOGNIZABLE = "Unrecognizable lambda output";

/** Thrown inside the readers below; validateResponse turns it into `{ok: false}`. */
class Unrecognizable extends Error {}

const fail = (): never => {
  throw new Unrecognizable(UNRECOGNIZABLE);
};

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

const absent = (v: unknown): v is null | undefined => v === null || v === undefined;

/** A boolean member; Cognito's deserializer does not turn "true" into true [U]. */
function bool(v: unknown): boolean | null {
  if (absent(v)) return null;
  if (typeof v !== "boolean") fail();
  return v as boolean;
}

function string(v: unknown): string | null {
  if (absent(v)) return null;
  if (typeof v !== "string") fail();
  return v as string;
}

function oneOf<T extends string>(v: unknown, values: readonly T[]): T | null {
  const s = string(v);
  if (s === null) return null;
  if (!(values as readonly string[]).includes(s)) fail();
  return s as T;
}

/** A string→string map: numbers and booleans become strings (as a Java Map<String,String> reads them); nested values are not a map. */
function stringMap(v: unknown): Record<string, string> | null {
  if (absent(v)) return null;
  if (!isObject(v)) fail();
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(v as Record<string, unknown>)) {
    if (absent(value)) continue;
    if (typeof value === "string") out[key] = value;
    else if (typeof value === "number" || typeof value === "boolean") out[key] = String(value);
    else fail();
  }
  return out;
}

function stringList(v: unknown): string[] | null {
  if (absent(v)) return null;
  if (!Array.isArray(v)) fail();
  return (v as unknown[]).map((item) => {
    if (typeof item !== "string") fail();
    return item as string;
  });
}

function object(v: unknown): Record<string, unknown> | null {
  if (absent(v)) return null;
  if (!isObject(v)) fail();
  return v as Record<string, unknown>;
}

/** Copies only the members that were present, so "present but null" stays distinguishable from "absent". */
function members(source: Record<string, unknown>, readers: Record<string, (v: unknown) => unknown>) {
  const out: Record<string, unknown> = {};
  for (const [key, read] of Object.entries(readers)) if (key in source) out[key] = read(source[key]);
  return out;
}

function groupOverrideDetails(v: unknown): Record<string, unknown> | null {
  const g = object(v);
  if (!g) return null;
  return members(g, {
    groupsToOverride: stringList,
    iamRolesToOverride: stringList,
    preferredRole: string,
  });
}

/** V1: `claimsOverrideDetails`, ID token only, claim values strings. */
function claimsOverrideDetails(v: unknown): Record<string, unknown> | null {
  const d = object(v);
  if (!d) return null;
  return members(d, {
    claimsToAddOrOverride: stringMap,
    claimsToSuppress: stringList,
    groupOverrideDetails,
  });
}

/** A V2/V3 claim value: string, number, boolean, an array of those, or a JSON object. */
function typedClaim(v: unknown): unknown {
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return v;
  if (Array.isArray(v)) {
    for (const item of v) if (!["string", "number", "boolean"].includes(typeof item)) fail();
    return v;
  }
  if (isObject(v)) return v;
  return fail();
}

/** ID token claims that keep their standard JSON types even in V2/V3 [D]. */
const ID_TOKEN_TYPES: Record<string, (v: unknown) => boolean> = {
  email_verified: (v) => typeof v === "boolean",
  phone_number_verified: (v) => typeof v === "boolean",
  updated_at: (v) => typeof v === "number",
  address: (v) => isObject(v),
};

function typedClaims(v: unknown, idToken: boolean): Record<string, unknown> | null {
  const claims = object(v);
  if (!claims) return null;
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(claims)) {
    if (absent(value)) continue;
    const keepsType = idToken ? ID_TOKEN_TYPES[name] : undefined;
    if (keepsType && !keepsType(value)) fail();
    out[name] = typedClaim(value);
  }
  return out;
}

function tokenGeneration(v: unknown, idToken: boolean): Record<string, unknown> | null {
  const t = object(v);
  if (!t) return null;
  return members(t, {
    claimsToAddOrOverride: (c) => typedClaims(c, idToken),
    claimsToSuppress: stringList,
    ...(idToken ? {} : { scopesToAdd: stringList, scopesToSuppress: stringList }),
  });
}

/** V2/V3: `claimsAndScopeOverrideDetails`, both tokens, typed claims and scopes. */
function claimsAndScopeOverrideDetails(v: unknown): Record<string, unknown> | null {
  const d = object(v);
  if (!d) return null;
  return members(d, {
    idTokenGeneration: (t) => tokenGeneration(t, true),
    accessTokenGeneration: (t) => tokenGeneration(t, false),
    groupOverrideDetails,
  });
}

const FINAL_USER_STATUS = ["CONFIRMED", "RESET_REQUIRED"] as const;
const MESSAGE_ACTION = ["SUPPRESS", "RESEND"] as const;
const MEDIUMS = ["SMS", "EMAIL"] as const;

type Reader = (response: Record<string, unknown>, version: string) => Record<string, unknown>;

const READERS: Record<string, Reader> = {
  PreSignUp: (r) => ({
    autoConfirmUser: bool(r.autoConfirmUser) ?? false,
    autoVerifyEmail: bool(r.autoVerifyEmail) ?? false,
    autoVerifyPhone: bool(r.autoVerifyPhone) ?? false,
  }),
  // Cognito reads nothing from these; any object is accepted.
  PostConfirmation: () => ({}),
  PreAuthentication: () => ({}),
  PostAuthentication: () => ({}),
  CustomSMSSender: () => ({}),
  CustomEmailSender: () => ({}),
  CustomMessage: (r) => ({
    smsMessage: string(r.smsMessage),
    emailMessage: string(r.emailMessage),
    emailSubject: string(r.emailSubject),
  }),
  UserMigration: (r) => ({
    userAttributes: stringMap(r.userAttributes),
    finalUserStatus: oneOf(r.finalUserStatus, FINAL_USER_STATUS),
    messageAction: oneOf(r.messageAction, MESSAGE_ACTION),
    desiredDeliveryMediums: (() => {
      const list = stringList(r.desiredDeliveryMediums);
      if (list?.some((m) => !(MEDIUMS as readonly string[]).includes(m))) fail();
      return list;
    })(),
    forceAliasCreation: bool(r.forceAliasCreation),
    enableSMSMFA: bool(r.enableSMSMFA),
  }),
  PreTokenGeneration: (r, version) =>
    version === "1"
      ? { claimsOverrideDetails: claimsOverrideDetails(r.claimsOverrideDetails) }
      : { claimsAndScopeOverrideDetails: claimsAndScopeOverrideDetails(r.claimsAndScopeOverrideDetails) },
  DefineAuthChallenge: (r) => ({
    challengeName: string(r.challengeName),
    issueTokens: bool(r.issueTokens) ?? false,
    failAuthentication: bool(r.failAuthentication) ?? false,
  }),
  CreateAuthChallenge: (r) => ({
    publicChallengeParameters: stringMap(r.publicChallengeParameters) ?? {},
    privateChallengeParameters: stringMap(r.privateChallengeParameters) ?? {},
    challengeMetadata: string(r.challengeMetadata),
  }),
  VerifyAuthChallengeResponse: (r) => ({ answerCorrect: bool(r.answerCorrect) ?? false }),
};

/**
 * Reads the `response` a handler returned for `trigger` (the LambdaConfig slot; `version` is the event's,
 * "2"/"3" for PreTokenGeneration V2/V3). Absent or null means the pre-filled defaults; a member of the
 * wrong type is "Unrecognizable lambda output", as Cognito answers when it cannot read the output.
 * The result has every member the trigger defines, with defaults filled in.
 */
export function validateResponse(trigger: string, version: string, response: unknown): ResponseCheck {
  const read = READERS[trigger];
  if (!read) return { ok: true, response: isObject(response) ? response : {} };
  try {
    if (!absent(response) && !isObject(response)) fail();
    return { ok: true, response: read(isObject(response) ? response : {}, version) };
  } catch (error) {
    if (error instanceof Unrecognizable)
      return { ok: false, problem: { type: "InvalidLambdaResponseException", message: UNRECOGNIZABLE } };
    throw error;
  }
}

// CustomMessage: rules on the message itself, which depend on the source and the channel it goes out on.

/** Java's `\s`: ASCII whitespace only, so a no-break space or a zero-width character fails the pattern. */
const JAVA_SPACE = "[ \\t\\n\\x0B\\f\\r]";
const MESSAGE_CHAR = `(?:[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}*]|${JAVA_SPACE})`;
const EMAIL_PATTERN = new RegExp(`^${MESSAGE_CHAR}*\\{####\\}${MESSAGE_CHAR}*$`, "u");
const EMAIL_PATTERN_TEXT =
  "[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\s*]*\\{####\\}[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\s*]*";
const SMS_PATTERN_TEXT = ".*\\{####\\}.*";
const USERNAME_PATTERN_TEXT = ".*\\{username\\}.*";

const LIMITS = { emailBody: 20_000, smsMessage: 140, emailSubject: 140 };

const invalid = (message: string): ResponseProblem => ({ type: "InvalidParameterException", message });

const patternProblem = (value: string, member: string, pattern: string): ResponseProblem =>
  invalid(
    `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${pattern}`,
  );

const lengthProblem = (value: string, member: string, max: number): ResponseProblem =>
  invalid(
    `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: Member must have length less than or equal to ${max}`,
  );

/**
 * The problem with a CustomMessage response for a message going out by `medium`, or undefined. Only the
 * members for that channel are checked (a handler may fill all three); null members fall back to the
 * pool's template and are not checked. Every source carries a code, so `{####}` is required;
 * `_AdminCreateUser` needs `{username}` too. `rendered` are the lengths after the placeholders are
 * filled in (the limits count the code).
 */
export function customMessageProblem(
  triggerSource: string,
  medium: "EMAIL" | "SMS",
  response: { smsMessage: string | null; emailMessage: string | null; emailSubject: string | null },
  rendered: (text: string) => string,
): ResponseProblem | undefined {
  const invitation = triggerSource === "CustomMessage_AdminCreateUser";
  if (medium === "EMAIL") {
    const body = response.emailMessage;
    if (body !== null) {
      if (body.trim() === "") return invalid("The message is empty.");
      if (!EMAIL_PATTERN.test(body)) return patternProblem(body, "emailBody", EMAIL_PATTERN_TEXT);
      if (invitation && !body.includes("{username}"))
        return patternProblem(body, "emailBody", USERNAME_PATTERN_TEXT);
      if (rendered(body).length > LIMITS.emailBody) return lengthProblem(body, "emailBody", LIMITS.emailBody);
    }
    const subject = response.emailSubject;
    if (subject !== null && rendered(subject).length > LIMITS.emailSubject)
      return lengthProblem(subject, "emailSubject", LIMITS.emailSubject);
    return undefined;
  }
  const sms = response.smsMessage;
  if (sms === null) return undefined;
  if (sms.trim() === "") return invalid("The message is empty.");
  if (!sms.includes("{####}")) return patternProblem(sms, "smsMessage", SMS_PATTERN_TEXT);
  if (invitation && !sms.includes("{username}"))
    return patternProblem(sms, "smsMessage", USERNAME_PATTERN_TEXT);
  if (rendered(sms).length > LIMITS.smsMessage) return lengthProblem(sms, "smsMessage", LIMITS.smsMessage);
  return undefined;
}
