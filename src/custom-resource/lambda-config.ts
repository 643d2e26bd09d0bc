// Pure edits of a pool's LambdaConfig: take one function's triggers out, put its configured ones in.
import type { LambdaConfigType } from "./ports.js";
import type { TriggerConfig } from "./properties.js";

type TriggerKey = Exclude<keyof LambdaConfigType, "KMSKeyID" | "PreTokenGenerationConfig">;
type TriggerKind = "arn" | "sender" | "versioned" | "preTokenGeneration";

// Checked against the SDK's LambdaConfigType so that a trigger Cognito adds later breaks the build
// here until someone decides how it is written.
const TRIGGER_KINDS = {
  PreSignUp: "arn",
  CustomMessage: "arn",
  PostConfirmation: "arn",
  PreAuthentication: "arn",
  PostAuthentication: "arn",
  DefineAuthChallenge: "arn",
  CreateAuthChallenge: "arn",
  VerifyAuthChallengeResponse: "arn",
  PreTokenGeneration: "preTokenGeneration",
  UserMigration: "arn",
  CustomSMSSender: "sender",
  CustomEmailSender: "sender",
  InboundFederation: "versioned",
} as const satisfies Record<TriggerKey, TriggerKind>;

const CUSTOM_SENDERS = ["CustomSMSSender", "CustomEmailSender"] as const;

export const TRIGGER_NAMES: readonly string[] = Object.keys(TRIGGER_KINDS);

function triggerKind(trigger: string): TriggerKind {
  if (!Object.hasOwn(TRIGGER_KINDS, trigger)) {
    throw new Error(
      `Unknown trigger "${trigger}" in UserPoolConfigs; expected one of ${TRIGGER_NAMES.join(", ")}.`,
    );
  }
  return TRIGGER_KINDS[trigger as TriggerKey];
}

/** Throws on the first unknown trigger, so a bad resource fails before anything is changed. */
export function validateTriggerConfigs(configs: readonly TriggerConfig[]): void {
  for (const config of configs) triggerKind(config.Trigger);
}

function pointsAt(value: unknown, lambdaArn: string): boolean {
  if (value === lambdaArn) return true;
  return (
    typeof value === "object" && value !== null && (value as { LambdaArn?: unknown }).LambdaArn === lambdaArn
  );
}

export function referencesFunction(config: LambdaConfigType | undefined, lambdaArn: string): boolean {
  return Object.values(config ?? {}).some((value) => pointsAt(value, lambdaArn));
}

/**
 * Drops every trigger (string or {LambdaArn} object) that invokes lambdaArn; KMSKeyID only serves
 * custom senders, so it goes when none is left.
 */
export function removeFunctionTriggers(
  config: LambdaConfigType | undefined,
  lambdaArn: string,
): LambdaConfigType {
  const kept: Record<string, unknown> = Object.fromEntries(
    Object.entries(config ?? {}).filter(([, value]) => !pointsAt(value, lambdaArn)),
  );
  if (CUSTOM_SENDERS.every((sender) => kept[sender] === undefined)) delete kept.KMSKeyID;
  return kept as LambdaConfigType;
}

/** Writes the configured triggers in order; a trigger another function held is taken over, as in Serverless. */
export function addFunctionTriggers(
  config: LambdaConfigType,
  lambdaArn: string,
  configs: readonly TriggerConfig[],
): LambdaConfigType {
  const next: Record<string, unknown> = { ...config };
  for (const { Trigger, LambdaVersion, KMSKeyID } of configs) {
    switch (triggerKind(Trigger)) {
      case "arn":
        next[Trigger] = lambdaArn;
        break;
      case "sender":
        next[Trigger] = { LambdaArn: lambdaArn, LambdaVersion: LambdaVersion ?? "V1_0" };
        if (KMSKeyID !== undefined) next.KMSKeyID = KMSKeyID;
        break;
      case "versioned":
        next[Trigger] = { LambdaArn: lambdaArn, LambdaVersion: LambdaVersion ?? "V1_0" };
        break;
      case "preTokenGeneration":
        // Cognito rejects a legacy PreTokenGeneration that differs from PreTokenGenerationConfig's ARN.
        next.PreTokenGeneration = lambdaArn;
        if (LambdaVersion === undefined || LambdaVersion === "V1_0") {
          delete next.PreTokenGenerationConfig;
        } else {
          next.PreTokenGenerationConfig = { LambdaArn: lambdaArn, LambdaVersion };
        }
        break;
    }
  }
  return next as LambdaConfigType;
}

export function configureFunctionTriggers(
  config: LambdaConfigType | undefined,
  lambdaArn: string,
  configs: readonly TriggerConfig[],
): LambdaConfigType {
  return addFunctionTriggers(removeFunctionTriggers(config, lambdaArn), lambdaArn, configs);
}
