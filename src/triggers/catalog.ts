// The LambdaConfig trigger slots of a Cognito user pool: names, value shapes and event versions.

/** Triggers in the order Serverless v3's schema lists them (its enum error message uses this order). */
export const SERVERLESS_TRIGGERS = [
  "PreSignUp",
  "PostConfirmation",
  "PreAuthentication",
  "PostAuthentication",
  "PreTokenGeneration",
  "CustomMessage",
  "DefineAuthChallenge",
  "CreateAuthChallenge",
  "VerifyAuthChallengeResponse",
  "UserMigration",
  "CustomSMSSender",
  "CustomEmailSender",
] as const;

export type TriggerName = (typeof SERVERLESS_TRIGGERS)[number];

export const CUSTOM_SENDER_TRIGGERS: readonly TriggerName[] = ["CustomSMSSender", "CustomEmailSender"];

export function isTriggerName(value: unknown): value is TriggerName {
  return typeof value === "string" && (SERVERLESS_TRIGGERS as readonly string[]).includes(value);
}

export function isCustomSender(trigger: string): boolean {
  return trigger === "CustomSMSSender" || trigger === "CustomEmailSender";
}

/**
 * Event versions Cognito accepts per trigger. Only custom senders and PreTokenGeneration have a
 * LambdaVersion in Cognito's model; every other trigger takes a bare ARN.
 */
export const LAMBDA_VERSIONS: Readonly<Partial<Record<TriggerName, readonly string[]>>> = {
  CustomSMSSender: ["V1_0"],
  CustomEmailSender: ["V1_0"],
  PreTokenGeneration: ["V1_0", "V2_0", "V3_0"],
};

/** The version Serverless writes for a custom sender that names none. */
export const DEFAULT_SENDER_LAMBDA_VERSION = "V1_0";

/** PreTokenGeneration versions that customise the access token and need PreTokenGenerationConfig. */
export function needsPreTokenGenerationConfig(trigger: string, lambdaVersion: string | undefined): boolean {
  return trigger === "PreTokenGeneration" && (lambdaVersion === "V2_0" || lambdaVersion === "V3_0");
}

/**
 * Every LambdaConfig slot Cognito's current model has: Serverless's 12 plus InboundFederation, which only
 * fires for federated sign-in through managed login (not emulated yet).
 */
export const LAMBDA_CONFIG_TRIGGERS = [...SERVERLESS_TRIGGERS, "InboundFederation"] as const;

export type LambdaConfigTrigger = (typeof LAMBDA_CONFIG_TRIGGERS)[number];
