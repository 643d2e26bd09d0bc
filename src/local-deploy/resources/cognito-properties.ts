// CloudFormation properties of the Cognito resource types → the Cognito API requests CloudFormation makes.

type Obj = Record<string, unknown>;

const isObject = (value: unknown): value is Obj =>
  typeof value === "object" && value !== null && !Array.isArray(value);

// CloudFormation accepts "true"/"8" for boolean and integer properties and converts them before the
// API call; templates written by hand (or through `${param}`) often carry strings.
const BOOLEAN_KEYS = new Set([
  "RequireLowercase",
  "RequireUppercase",
  "RequireNumbers",
  "RequireSymbols",
  "AllowAdminCreateUserOnly",
  "ChallengeRequiredOnNewDevice",
  "DeviceOnlyRememberedOnUserPrompt",
  "CaseSensitive",
  "Mutable",
  "Required",
  "DeveloperOnlyAttribute",
  "GenerateSecret",
  "AllowedOAuthFlowsUserPoolClient",
  "EnableTokenRevocation",
  "EnablePropagateAdditionalUserContextData",
  "UserDataShared",
]);
const INTEGER_KEYS = new Set([
  "MinimumLength",
  "TemporaryPasswordValidityDays",
  "PasswordHistorySize",
  "UnusedAccountValidityDays",
  "Priority",
  "AccessTokenValidity",
  "IdTokenValidity",
  "RefreshTokenValidity",
  "AuthSessionValidity",
  "RetryGracePeriodSeconds",
  "Precedence",
]);
// The API models schema constraints as strings; templates often write them as numbers.
const STRING_KEYS = new Set(["MinLength", "MaxLength", "MinValue", "MaxValue"]);

/** Converts property values the way CloudFormation does before calling the API (recursively, by key). */
export function coerce(value: unknown, key?: string): unknown {
  if (Array.isArray(value)) return value.map((item) => coerce(item));
  if (isObject(value)) {
    const out: Obj = {};
    for (const [k, v] of Object.entries(value)) out[k] = coerce(v, k);
    return out;
  }
  if (key === undefined) return value;
  if (BOOLEAN_KEYS.has(key) && typeof value === "string") {
    if (value.toLowerCase() === "true") return true;
    if (value.toLowerCase() === "false") return false;
  }
  if (INTEGER_KEYS.has(key) && typeof value === "string" && /^-?\d+$/.test(value.trim()))
    return Number(value.trim());
  if (STRING_KEYS.has(key) && typeof value === "number") return String(value);
  return value;
}

/** Deep equality of two property values (JSON data only), for "did this property change". */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((item, i) => sameValue(item, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) if (!sameValue(a[key], b[key])) return false;
    return true;
  }
  return false;
}

// AWS::Cognito::UserPool.

/** Properties passed to UpdateUserPool under the same name (and to CreateUserPool). */
const POOL_UPDATABLE = [
  "Policies",
  "DeletionProtection",
  "LambdaConfig",
  "AutoVerifiedAttributes",
  "SmsVerificationMessage",
  "EmailVerificationMessage",
  "EmailVerificationSubject",
  "VerificationMessageTemplate",
  "SmsAuthenticationMessage",
  "UserAttributeUpdateSettings",
  "MfaConfiguration",
  "DeviceConfiguration",
  "EmailConfiguration",
  "SmsConfiguration",
  "UserPoolTags",
  "AdminCreateUserConfig",
  "UserPoolAddOns",
  "AccountRecoverySetting",
  "UserPoolTier",
] as const;

/** Properties CreateUserPool takes that UpdateUserPool cannot change. */
export const POOL_IMMUTABLE = ["AliasAttributes", "UsernameAttributes", "UsernameConfiguration"] as const;

/** Valid CloudFormation properties the local edge does not implement: warned about and ignored. */
const POOL_UNSUPPORTED: Record<string, string> = {
  EnabledMfas: "SetUserPoolMfaConfig is not served locally",
  EmailAuthenticationMessage: "email one-time-password sign-in is not served locally",
  EmailAuthenticationSubject: "email one-time-password sign-in is not served locally",
  WebAuthnRelyingPartyID: "passkeys are not served locally",
  WebAuthnUserVerification: "passkeys are not served locally",
};

const POOL_KNOWN = new Set<string>(["UserPoolName", "Schema", ...POOL_UPDATABLE, ...POOL_IMMUTABLE]);

export interface PoolRequests {
  /** CreateUserPool's input (without PoolName when the template leaves the name to CloudFormation). */
  create: Obj;
  /** UpdateUserPool's input without UserPoolId: the full updatable set, omissions reset. */
  update: Obj;
  warnings: string[];
}

export function poolRequests(properties: Obj): PoolRequests {
  const props = coerce(properties) as Obj;
  const warnings = unknownProperties("AWS::Cognito::UserPool", props, POOL_KNOWN, POOL_UNSUPPORTED);
  const update: Obj = {};
  for (const key of POOL_UPDATABLE) if (props[key] !== undefined) update[key] = props[key];
  if (typeof props.UserPoolName === "string") update.PoolName = props.UserPoolName;
  const create: Obj = { ...update };
  for (const key of POOL_IMMUTABLE) if (props[key] !== undefined) create[key] = props[key];
  if (Array.isArray(props.Schema)) create.Schema = props.Schema;
  return { create, update, warnings };
}

/** The immutable properties whose change makes CloudFormation replace the pool. */
export function poolReplacementReasons(previous: Obj, next: Obj): string[] {
  const before = coerce(previous) as Obj;
  const after = coerce(next) as Obj;
  return POOL_IMMUTABLE.filter(
    (key) => !sameValue(emptyToUndefined(before[key]), emptyToUndefined(after[key])),
  );
}

const emptyToUndefined = (value: unknown) => (Array.isArray(value) && value.length === 0 ? undefined : value);

export type SchemaChange = { added: Obj[] } | { error: string };

/**
 * A Schema update: entries may only be appended (AddCustomAttributes); changing or removing an
 * existing one fails the update, as CloudFormation's does.
 */
export function schemaChange(previous: unknown, next: unknown): SchemaChange {
  const entries = (value: unknown): Obj[] =>
    Array.isArray(coerce(value)) ? (coerce(value) as unknown[]).filter(isObject) : [];
  const before = new Map(entries(previous).map((entry) => [String(entry.Name), entry]));
  const after = entries(next);
  const afterNames = new Set(after.map((entry) => String(entry.Name)));
  for (const [name, entry] of before) {
    if (!afterNames.has(name)) return { error: `Existing schema attribute ${name} cannot be deleted.` };
    const now = after.find((candidate) => String(candidate.Name) === name);
    if (!sameValue(entry, now)) return { error: `Existing schema attribute ${name} cannot be modified.` };
  }
  return { added: after.filter((entry) => !before.has(String(entry.Name))) };
}

// AWS::Cognito::UserPoolClient.

const CLIENT_UPDATABLE = [
  "ClientName",
  "RefreshTokenValidity",
  "AccessTokenValidity",
  "IdTokenValidity",
  "TokenValidityUnits",
  "ReadAttributes",
  "WriteAttributes",
  "ExplicitAuthFlows",
  "SupportedIdentityProviders",
  "CallbackURLs",
  "LogoutURLs",
  "DefaultRedirectURI",
  "AllowedOAuthFlows",
  "AllowedOAuthScopes",
  "AllowedOAuthFlowsUserPoolClient",
  "AnalyticsConfiguration",
  "PreventUserExistenceErrors",
  "EnableTokenRevocation",
  "EnablePropagateAdditionalUserContextData",
  "AuthSessionValidity",
  "RefreshTokenRotation",
] as const;

/** Changing one of these replaces the client (a new client id). */
export const CLIENT_IMMUTABLE = ["UserPoolId", "GenerateSecret"] as const;

const CLIENT_KNOWN = new Set<string>([...CLIENT_UPDATABLE, ...CLIENT_IMMUTABLE]);

export interface ClientRequests {
  userPoolId: string;
  /** CreateUserPoolClient's input. */
  create: Obj;
  /** UpdateUserPoolClient's input (without UserPoolId and ClientId). */
  update: Obj;
  warnings: string[];
}

export function clientRequests(properties: Obj, defaultName: string): ClientRequests {
  const props = coerce(properties) as Obj;
  const warnings = unknownProperties("AWS::Cognito::UserPoolClient", props, CLIENT_KNOWN, {});
  const update: Obj = {};
  for (const key of CLIENT_UPDATABLE) if (props[key] !== undefined) update[key] = props[key];
  update.ClientName ??= defaultName;
  const create: Obj = { ...update, UserPoolId: props.UserPoolId };
  if (props.GenerateSecret !== undefined) create.GenerateSecret = props.GenerateSecret;
  return { userPoolId: String(props.UserPoolId ?? ""), create, update, warnings };
}

export function clientReplacementReasons(previous: Obj, next: Obj): string[] {
  const before = coerce(previous) as Obj;
  const after = coerce(next) as Obj;
  // GenerateSecret absent and false are the same client.
  const secret = (props: Obj) => props.GenerateSecret === true;
  const reasons: string[] = [];
  if (!sameValue(before.UserPoolId, after.UserPoolId)) reasons.push("UserPoolId");
  if (secret(before) !== secret(after)) reasons.push("GenerateSecret");
  return reasons;
}

// Shared.

function unknownProperties(
  type: string,
  props: Obj,
  known: ReadonlySet<string>,
  unsupported: Readonly<Record<string, string>>,
): string[] {
  const warnings: string[] = [];
  for (const key of Object.keys(props)) {
    if (known.has(key)) continue;
    const why = unsupported[key];
    warnings.push(
      why
        ? `${type} property ${key} is ignored: ${why}.`
        : `${type} property ${key} is not a known property; ignored.`,
    );
  }
  return warnings;
}
