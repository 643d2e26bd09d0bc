// User pool configuration: CreateUserPool/UpdateUserPool input rules, Cognito's defaults, the schema, wire shapes.

import type { ServerConfig } from "../../shared/config.js";
import type { Random } from "../../shared/random.js";
import { bool, int, list, str, stringMap, struct } from "../../shared/validation.js";
import type { PoolRecord, WireObject } from "../../store/model.js";
import type { StoreTx } from "../../store/port.js";
import { invalidParameter } from "../errors.js";
import { epochSeconds } from "./epoch-seconds.js";
import { poolArn } from "./pools.js";
import { attributeNameOf, type SchemaAttribute, STANDARD_ATTRIBUTES } from "./schema.js";

// Member rules, worded as the service model states them (the front end prints these patterns).

/** Java's `\s` is ASCII whitespace only, unlike JavaScript's. */
const WS = "\\t\\n\\x0B\\f\\r ";

export const ARN_TEXT =
  "arn:[\\w+=/,.@-]+:[\\w+=/,.@-]+:([\\w+=/,.@-]*)?:[0-9]+:[\\w+=/,.@-]+(:[\\w+=/,.@-]+)?(:[\\w+=/,.@-]+)?";
export const ARN = (required = false) =>
  str({ required, min: 20, max: 2048, pattern: new RegExp(`^(?:${ARN_TEXT})$`), patternText: ARN_TEXT });

export const NAME_TEXT = "[\\w\\s+=,.@-]+";
/** PoolName and ClientName. */
export const NAME = (required: boolean) =>
  str({ required, min: 1, max: 128, pattern: new RegExp(`^[\\w${WS}+=,.@-]+$`), patternText: NAME_TEXT });

const SMS_TEXT = ".*\\{####\\}.*";
const SMS_MESSAGE = str({ min: 6, max: 140, pattern: /^.*\{####\}.*$/, patternText: SMS_TEXT });
const EMAIL_CHARS = `\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}${WS}*`;
const EMAIL_TEXT = "[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\s*]*\\{####\\}[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\s*]*";
const EMAIL_MESSAGE = str({
  min: 6,
  max: 20000,
  pattern: new RegExp(`^[${EMAIL_CHARS}]*\\{####\\}[${EMAIL_CHARS}]*$`, "u"),
  patternText: EMAIL_TEXT,
});
const LINK_TEXT =
  "[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\s*]*\\{##[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\s*]*##\\}[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\s*]*";
const EMAIL_LINK_MESSAGE = str({
  min: 6,
  max: 20000,
  pattern: new RegExp(`^[${EMAIL_CHARS}]*\\{##[${EMAIL_CHARS}]*##\\}[${EMAIL_CHARS}]*$`, "u"),
  patternText: LINK_TEXT,
});
const SUBJECT_TEXT = "[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\s]+";
const EMAIL_SUBJECT = str({
  min: 1,
  max: 140,
  pattern: new RegExp(`^[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}${WS}]+$`, "u"),
  patternText: SUBJECT_TEXT,
});
const EMAIL_ADDRESS = str({
  pattern: /^[\p{L}\p{M}\p{S}\p{N}\p{P}]+@[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u,
  patternText: "[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+@[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+",
});

const VERIFIED_ATTRIBUTES = ["phone_number", "email"] as const;
const ALIAS_ATTRIBUTES = ["phone_number", "email", "preferred_username"] as const;

const lambdaVersion = (versions: readonly string[]) =>
  struct({ LambdaVersion: str({ required: true, enum: versions }), LambdaArn: ARN(true) });

const LAMBDA_CONFIG = struct({
  PreSignUp: ARN(),
  CustomMessage: ARN(),
  PostConfirmation: ARN(),
  PreAuthentication: ARN(),
  PostAuthentication: ARN(),
  DefineAuthChallenge: ARN(),
  CreateAuthChallenge: ARN(),
  VerifyAuthChallengeResponse: ARN(),
  PreTokenGeneration: ARN(),
  UserMigration: ARN(),
  PreTokenGenerationConfig: lambdaVersion(["V1_0", "V2_0", "V3_0"]),
  CustomSMSSender: lambdaVersion(["V1_0"]),
  CustomEmailSender: lambdaVersion(["V1_0"]),
  KMSKeyID: ARN(),
  InboundFederation: lambdaVersion(["V1_0"]),
});

const POLICIES = struct({
  PasswordPolicy: struct({
    MinimumLength: int({ min: 6, max: 99 }),
    RequireUppercase: bool(),
    RequireLowercase: bool(),
    RequireNumbers: bool(),
    RequireSymbols: bool(),
    PasswordHistorySize: int({ min: 0, max: 24 }),
    TemporaryPasswordValidityDays: int({ min: 0, max: 365 }),
  }),
  SignInPolicy: struct({
    AllowedFirstAuthFactors: list(str({ enum: ["PASSWORD", "EMAIL_OTP", "SMS_OTP", "WEB_AUTHN"] }), {
      min: 1,
      max: 4,
    }),
  }),
});

const SCHEMA_ATTRIBUTE = struct({
  Name: str({
    min: 1,
    max: 20,
    pattern: /^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u,
    patternText: "[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+",
  }),
  AttributeDataType: str({ enum: ["String", "Number", "DateTime", "Boolean"] }),
  DeveloperOnlyAttribute: bool(),
  Mutable: bool(),
  Required: bool(),
  NumberAttributeConstraints: struct({ MinValue: str(), MaxValue: str() }),
  StringAttributeConstraints: struct({ MinLength: str(), MaxLength: str() }),
});

export const SCHEMA = (rule: { required?: boolean; max: number }) =>
  list(SCHEMA_ATTRIBUTE, { required: rule.required ?? false, min: 1, max: rule.max });

/** The members CreateUserPool and UpdateUserPool share, in the model's order. */
const COMMON_MEMBERS = {
  Policies: POLICIES,
  DeletionProtection: str({ enum: ["ACTIVE", "INACTIVE"] }),
  LambdaConfig: LAMBDA_CONFIG,
  AutoVerifiedAttributes: list(str({ enum: VERIFIED_ATTRIBUTES })),
};

const MESSAGE_MEMBERS = {
  SmsVerificationMessage: SMS_MESSAGE,
  EmailVerificationMessage: EMAIL_MESSAGE,
  EmailVerificationSubject: EMAIL_SUBJECT,
  VerificationMessageTemplate: struct({
    SmsMessage: SMS_MESSAGE,
    EmailMessage: EMAIL_MESSAGE,
    EmailSubject: EMAIL_SUBJECT,
    EmailMessageByLink: EMAIL_LINK_MESSAGE,
    EmailSubjectByLink: EMAIL_SUBJECT,
    DefaultEmailOption: str({ enum: ["CONFIRM_WITH_LINK", "CONFIRM_WITH_CODE"] }),
  }),
  SmsAuthenticationMessage: SMS_MESSAGE,
  UserAttributeUpdateSettings: struct({
    AttributesRequireVerificationBeforeUpdate: list(str({ enum: VERIFIED_ATTRIBUTES })),
  }),
  MfaConfiguration: str({ enum: ["OFF", "ON", "OPTIONAL"] }),
  DeviceConfiguration: struct({
    ChallengeRequiredOnNewDevice: bool(),
    DeviceOnlyRememberedOnUserPrompt: bool(),
  }),
  EmailConfiguration: struct({
    SourceArn: ARN(),
    ReplyToEmailAddress: EMAIL_ADDRESS,
    EmailSendingAccount: str({ enum: ["COGNITO_DEFAULT", "DEVELOPER"] }),
    From: str(),
    ConfigurationSet: str({ min: 1, max: 64, pattern: /^[a-zA-Z0-9_-]+$/, patternText: "[a-zA-Z0-9_-]+" }),
  }),
  SmsConfiguration: struct({
    SnsCallerArn: ARN(true),
    ExternalId: str(),
    SnsRegion: str({ min: 5, max: 32, pattern: /^[-\w]+$/, patternText: "[-\\w]+" }),
  }),
  UserPoolTags: stringMap(),
  AdminCreateUserConfig: struct({
    AllowAdminCreateUserOnly: bool(),
    UnusedAccountValidityDays: int({ min: 0, max: 365 }),
    InviteMessageTemplate: struct({
      SMSMessage: SMS_MESSAGE,
      EmailMessage: EMAIL_MESSAGE,
      EmailSubject: EMAIL_SUBJECT,
    }),
  }),
};

const TAIL_MEMBERS = {
  UserPoolAddOns: struct({
    AdvancedSecurityMode: str({ required: true, enum: ["OFF", "AUDIT", "ENFORCED"] }),
    AdvancedSecurityAdditionalFlows: struct({ CustomAuthMode: str({ enum: ["AUDIT", "ENFORCED"] }) }),
  }),
};

const ACCOUNT_RECOVERY = struct({
  RecoveryMechanisms: list(
    struct({
      Priority: int({ required: true, min: 1, max: 2 }),
      Name: str({ required: true, enum: ["verified_email", "verified_phone_number", "admin_only"] }),
    }),
    { min: 1, max: 2 },
  ),
});

const USER_POOL_TIER = str({ enum: ["LITE", "ESSENTIALS", "PLUS"] });

export const CREATE_USER_POOL_MEMBERS = {
  PoolName: NAME(true),
  ...COMMON_MEMBERS,
  AliasAttributes: list(str({ enum: ALIAS_ATTRIBUTES })),
  UsernameAttributes: list(str({ enum: VERIFIED_ATTRIBUTES })),
  ...MESSAGE_MEMBERS,
  Schema: SCHEMA({ max: 50 }),
  ...TAIL_MEMBERS,
  UsernameConfiguration: struct({ CaseSensitive: bool({ required: true }) }),
  AccountRecoverySetting: ACCOUNT_RECOVERY,
  UserPoolTier: USER_POOL_TIER,
};

/** UpdateUserPool's members after UserPoolId (schema and sign-in names cannot change). */
export const UPDATE_USER_POOL_MEMBERS = {
  ...COMMON_MEMBERS,
  ...MESSAGE_MEMBERS,
  ...TAIL_MEMBERS,
  AccountRecoverySetting: ACCOUNT_RECOVERY,
  PoolName: NAME(false),
  UserPoolTier: USER_POOL_TIER,
};

// Defaults and semantic checks.

type Obj = Record<string, unknown>;

const isObject = (value: unknown): value is Obj =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const strings = (value: unknown): string[] | undefined =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : undefined;

/** The password policy of a pool created without one (and what UpdateUserPool restores when omitted). */
export function defaultPasswordPolicy(): Obj {
  return {
    MinimumLength: 8,
    RequireUppercase: true,
    RequireLowercase: true,
    RequireNumbers: true,
    RequireSymbols: true,
    TemporaryPasswordValidityDays: 7,
  };
}

function policies(input: unknown): Obj {
  const given = isObject(input) ? input : {};
  const requested = isObject(given.PasswordPolicy) ? given.PasswordPolicy : undefined;
  let passwordPolicy: Obj;
  if (!requested) passwordPolicy = defaultPasswordPolicy();
  else {
    // A policy that is sent is taken as sent: omitted character rules are off, as Java booleans default.
    passwordPolicy = {
      MinimumLength: requested.MinimumLength ?? 8,
      RequireUppercase: requested.RequireUppercase ?? false,
      RequireLowercase: requested.RequireLowercase ?? false,
      RequireNumbers: requested.RequireNumbers ?? false,
      RequireSymbols: requested.RequireSymbols ?? false,
    };
    if (requested.PasswordHistorySize !== undefined)
      passwordPolicy.PasswordHistorySize = requested.PasswordHistorySize;
    // 0 is documented as "use the default".
    passwordPolicy.TemporaryPasswordValidityDays =
      typeof requested.TemporaryPasswordValidityDays === "number" &&
      requested.TemporaryPasswordValidityDays > 0
        ? requested.TemporaryPasswordValidityDays
        : 7;
  }
  const signIn = isObject(given.SignInPolicy)
    ? given.SignInPolicy
    : { AllowedFirstAuthFactors: ["PASSWORD"] };
  return { PasswordPolicy: passwordPolicy, SignInPolicy: signIn };
}

function lambdaConfig(input: unknown): Obj {
  const config: Obj = isObject(input) ? { ...input } : {};
  const versioned = isObject(config.PreTokenGenerationConfig) ? config.PreTokenGenerationConfig : undefined;
  if (versioned) {
    if (config.PreTokenGeneration !== undefined && config.PreTokenGeneration !== versioned.LambdaArn)
      throw invalidParameter(
        "The LambdaArn of PreTokenGenerationConfig must be the same as PreTokenGeneration.",
      );
    config.PreTokenGeneration = versioned.LambdaArn;
  }
  if (
    (config.CustomSMSSender !== undefined || config.CustomEmailSender !== undefined) &&
    config.KMSKeyID === undefined
  )
    throw invalidParameter("KMSKeyID is required when a CustomSMSSender or CustomEmailSender is configured.");
  return config;
}

/**
 * VerificationMessageTemplate and the older top-level message members describe the same messages:
 * Cognito keeps them in step, so either spelling reads back through both.
 */
function messageTemplates(input: Obj, settings: Obj): void {
  const template: Obj = isObject(input.VerificationMessageTemplate)
    ? { ...input.VerificationMessageTemplate }
    : {};
  const pairs: [legacy: string, member: string][] = [
    ["SmsVerificationMessage", "SmsMessage"],
    ["EmailVerificationMessage", "EmailMessage"],
    ["EmailVerificationSubject", "EmailSubject"],
  ];
  for (const [legacy, member] of pairs) {
    const value = template[member] ?? input[legacy];
    if (value !== undefined) {
      template[member] = value;
      settings[legacy] = value;
    }
  }
  template.DefaultEmailOption ??= "CONFIRM_WITH_CODE";
  settings.VerificationMessageTemplate = template;
}

function emailConfiguration(input: unknown): Obj {
  const config: Obj = isObject(input) ? { ...input } : {};
  config.EmailSendingAccount ??= "COGNITO_DEFAULT";
  return config;
}

function adminCreateUserConfig(input: unknown): Obj {
  const given: Obj = isObject(input) ? input : {};
  const config: Obj = {
    AllowAdminCreateUserOnly: given.AllowAdminCreateUserOnly ?? false,
    UnusedAccountValidityDays: given.UnusedAccountValidityDays ?? 7,
  };
  if (given.InviteMessageTemplate !== undefined) config.InviteMessageTemplate = given.InviteMessageTemplate;
  return config;
}

/**
 * `AdminCreateUserConfig.UnusedAccountValidityDays` is the deprecated twin of
 * `PasswordPolicy.TemporaryPasswordValidityDays`: Cognito keeps them equal, taking the new member when
 * both are given, and the old one only when the password policy does not name a validity.
 */
function mirrorTemporaryPasswordValidity(input: Obj, settings: Obj): void {
  const policy = (settings.Policies as Obj).PasswordPolicy as Obj;
  const admin = settings.AdminCreateUserConfig as Obj;
  const requestedPolicy =
    isObject(input.Policies) && isObject(input.Policies.PasswordPolicy) ? input.Policies.PasswordPolicy : {};
  const requestedAdmin = isObject(input.AdminCreateUserConfig) ? input.AdminCreateUserConfig : {};
  const legacy = requestedAdmin.UnusedAccountValidityDays;
  if (requestedPolicy.TemporaryPasswordValidityDays === undefined && typeof legacy === "number" && legacy > 0)
    policy.TemporaryPasswordValidityDays = legacy;
  admin.UnusedAccountValidityDays = policy.TemporaryPasswordValidityDays;
}

/** The settings every update may change, from the request, with Cognito's default for each omitted one. */
function updatableSettings(input: Obj, previous: Obj | undefined): Obj {
  const settings: Obj = {};
  settings.Policies = policies(input.Policies);
  settings.DeletionProtection = input.DeletionProtection ?? "INACTIVE";
  settings.LambdaConfig = lambdaConfig(input.LambdaConfig);
  const autoVerified = strings(input.AutoVerifiedAttributes);
  if (autoVerified && autoVerified.length > 0) settings.AutoVerifiedAttributes = [...new Set(autoVerified)];
  messageTemplates(input, settings);
  if (input.SmsAuthenticationMessage !== undefined)
    settings.SmsAuthenticationMessage = input.SmsAuthenticationMessage;
  // Observed on AWS: an update that omits UserAttributeUpdateSettings keeps the pool's (and checks it).
  const updateSettings = input.UserAttributeUpdateSettings ?? previous?.UserAttributeUpdateSettings;
  const requireVerification =
    strings(isObject(updateSettings) ? updateSettings.AttributesRequireVerificationBeforeUpdate : []) ?? [];
  if (requireVerification.some((attribute) => !(autoVerified ?? []).includes(attribute)))
    throw invalidParameter(
      "All attributes in AttributesRequireVerificationBeforeUpdate must exist in AutoVerifiedAttributes",
    );
  settings.UserAttributeUpdateSettings = {
    AttributesRequireVerificationBeforeUpdate: [...new Set(requireVerification)],
  };
  settings.MfaConfiguration = input.MfaConfiguration ?? "OFF";
  if (input.DeviceConfiguration !== undefined) settings.DeviceConfiguration = input.DeviceConfiguration;
  settings.EmailConfiguration = emailConfiguration(input.EmailConfiguration);
  if (input.SmsConfiguration !== undefined) settings.SmsConfiguration = input.SmsConfiguration;
  settings.UserPoolTags = isObject(input.UserPoolTags) ? { ...input.UserPoolTags } : {};
  settings.AdminCreateUserConfig = adminCreateUserConfig(input.AdminCreateUserConfig);
  mirrorTemporaryPasswordValidity(input, settings);
  if (input.UserPoolAddOns !== undefined) settings.UserPoolAddOns = input.UserPoolAddOns;
  if (input.AccountRecoverySetting !== undefined)
    settings.AccountRecoverySetting = input.AccountRecoverySetting;
  return settings;
}

// The schema.

/** How a custom attribute is named in the schema and on users. */
export function customAttributeName(entry: { Name?: unknown; DeveloperOnlyAttribute?: unknown }): string {
  const name = String(entry.Name ?? "");
  return entry.DeveloperOnlyAttribute === true ? `dev:custom:${name}` : `custom:${name}`;
}

/** Most custom attributes a pool may have. */
export const MAX_CUSTOM_ATTRIBUTES = 50;

/** A custom attribute's schema entry as Describe lists it. */
function customEntry(input: Obj): SchemaAttribute {
  if (input.Required === true)
    throw invalidParameter("Required custom attributes are not supported currently.");
  const type = (input.AttributeDataType as SchemaAttribute["AttributeDataType"] | undefined) ?? "String";
  const entry: SchemaAttribute = {
    Name: customAttributeName(input),
    AttributeDataType: type,
    DeveloperOnlyAttribute: input.DeveloperOnlyAttribute === true,
    Mutable: input.Mutable !== false,
    Required: false,
  };
  if (type === "String" && isObject(input.StringAttributeConstraints))
    entry.StringAttributeConstraints = { ...input.StringAttributeConstraints };
  if (type === "Number" && isObject(input.NumberAttributeConstraints))
    entry.NumberAttributeConstraints = { ...input.NumberAttributeConstraints };
  return entry;
}

const STANDARD_NAMES = new Set(STANDARD_ATTRIBUTES.map((entry) => attributeNameOf(entry)));

const duplicate = (name: string) => invalidParameter(`Existing attribute already has name ${name}.`);

/**
 * Appends custom attributes to a schema (AddCustomAttributes, and CreateUserPool's non-standard
 * `Schema` entries), refusing duplicates, required ones and more than the pool may hold.
 */
export function withCustomAttributes(
  schema: readonly SchemaAttribute[],
  inputs: readonly Obj[],
): SchemaAttribute[] {
  const out = [...schema];
  const names = new Set(out.map((entry) => entry.Name));
  for (const input of inputs) {
    const entry = customEntry(input);
    if (names.has(entry.Name)) throw duplicate(entry.Name);
    names.add(entry.Name);
    out.push(entry);
  }
  const customs = out.filter((entry) => !STANDARD_NAMES.has(attributeNameOf(entry))).length;
  if (customs > MAX_CUSTOM_ATTRIBUTES)
    throw invalidParameter(`The user pool can have at most ${MAX_CUSTOM_ATTRIBUTES} custom attributes.`);
  return out;
}

/**
 * CreateUserPool's `Schema`: entries named like a standard attribute change that attribute's
 * Required, Mutable and constraints; every other entry is a custom attribute.
 */
export function buildSchema(inputs: readonly Obj[] | undefined): SchemaAttribute[] {
  const standard = STANDARD_ATTRIBUTES.map((entry) => structuredClone(entry) as SchemaAttribute);
  const customs: Obj[] = [];
  const seen = new Set<string>();
  for (const input of inputs ?? []) {
    const name = String(input.Name ?? "");
    const target = standard.find((entry) => attributeNameOf(entry) === name || entry.Name === name);
    if (!target) {
      customs.push(input);
      continue;
    }
    if (seen.has(target.Name)) throw duplicate(target.Name);
    seen.add(target.Name);
    // `sub` is Cognito's own: it stays required and immutable.
    if (target.Name === "sub") continue;
    if (typeof input.Required === "boolean") target.Required = input.Required;
    if (typeof input.Mutable === "boolean") target.Mutable = input.Mutable;
    if (target.StringAttributeConstraints && isObject(input.StringAttributeConstraints))
      target.StringAttributeConstraints = {
        ...target.StringAttributeConstraints,
        ...input.StringAttributeConstraints,
      };
    if (target.NumberAttributeConstraints && isObject(input.NumberAttributeConstraints))
      target.NumberAttributeConstraints = {
        ...target.NumberAttributeConstraints,
        ...input.NumberAttributeConstraints,
      };
  }
  return withCustomAttributes(standard, customs);
}

// Whole settings.

/** The stored settings of a new pool (`UserPool` minus Id, Name, Arn, dates and user count). */
export function createPoolSettings(input: Obj): WireObject {
  const alias = strings(input.AliasAttributes) ?? [];
  const usernameAttributes = strings(input.UsernameAttributes) ?? [];
  if (alias.length > 0 && usernameAttributes.length > 0)
    throw invalidParameter(
      "Only one of the aliasAttributes or usernameAttributes can be set in a User Pool.",
    );
  const updatable = updatableSettings(input, undefined);
  const settings: Obj = {
    Policies: updatable.Policies,
    DeletionProtection: updatable.DeletionProtection,
    LambdaConfig: updatable.LambdaConfig,
    SchemaAttributes: buildSchema(input.Schema as Obj[] | undefined),
  };
  if (alias.length > 0) settings.AliasAttributes = [...new Set(alias)];
  if (usernameAttributes.length > 0) settings.UsernameAttributes = [...new Set(usernameAttributes)];
  for (const [key, value] of Object.entries(updatable)) if (!(key in settings)) settings[key] = value;
  if (input.UsernameConfiguration !== undefined) settings.UsernameConfiguration = input.UsernameConfiguration;
  settings.UserPoolTier = input.UserPoolTier ?? "ESSENTIALS";
  return settings;
}

/** Members UpdateUserPool cannot change: they are kept from the stored pool. */
const KEPT_ON_UPDATE = ["SchemaAttributes", "AliasAttributes", "UsernameAttributes", "UsernameConfiguration"];

/**
 * UpdateUserPool replaces the configuration: each updatable member the request omits goes back to its
 * default (LambdaConfig loses its triggers, Policies the custom password policy, tags are removed).
 */
export function updatePoolSettings(previous: WireObject, input: Obj): WireObject {
  const updatable = updatableSettings(input, previous);
  const settings: Obj = {
    Policies: updatable.Policies,
    DeletionProtection: updatable.DeletionProtection,
    LambdaConfig: updatable.LambdaConfig,
  };
  for (const key of KEPT_ON_UPDATE) if (previous[key] !== undefined) settings[key] = previous[key];
  for (const [key, value] of Object.entries(updatable)) if (!(key in settings)) settings[key] = value;
  // Changing the feature plan is explicit; an update that does not name one keeps the pool's.
  settings.UserPoolTier = input.UserPoolTier ?? previous.UserPoolTier ?? "ESSENTIALS";
  return settings;
}

// Identity and wire shapes.

const ID_CHARS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

/** `<region>_<9 alphanumerics>`, unused in this store. */
export async function newPoolId(tx: StoreTx, random: Random, region: string): Promise<string> {
  for (;;) {
    let suffix = "";
    for (let i = 0; i < 9; i++) suffix += ID_CHARS[random.int(ID_CHARS.length)];
    const id = `${region}_${suffix}`;
    if (!(await tx.getPool(id))) return id;
  }
}

/** DescribeUserPool's `UserPool`. */
export function poolWire(config: ServerConfig, pool: PoolRecord, estimatedUsers: number): WireObject {
  return {
    Id: pool.id,
    Name: pool.name,
    ...pool.settings,
    LastModifiedDate: epochSeconds(pool.lastModifiedAt),
    CreationDate: epochSeconds(pool.createdAt),
    EstimatedNumberOfUsers: estimatedUsers,
    Arn: poolArn(config, pool.id),
  };
}

/** ListUserPools' `UserPoolDescriptionType`. */
export function poolDescription(pool: PoolRecord): WireObject {
  return {
    Id: pool.id,
    Name: pool.name,
    LambdaConfig: pool.settings.LambdaConfig ?? {},
    LastModifiedDate: epochSeconds(pool.lastModifiedAt),
    CreationDate: epochSeconds(pool.createdAt),
  };
}

/** The pool's schema entries (standard ones first, then custom ones in the order added). */
export function schemaAttributes(pool: PoolRecord): SchemaAttribute[] {
  return (pool.settings.SchemaAttributes as SchemaAttribute[] | undefined) ?? [...STANDARD_ATTRIBUTES];
}
