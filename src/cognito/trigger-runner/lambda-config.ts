// Reading a pool's LambdaConfig: which function a trigger slot names, and the PreTokenGeneration event version.

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

const nonEmpty = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/** Slots whose value is `{LambdaVersion, LambdaArn}` rather than a bare ARN. */
const VERSIONED_SLOTS = new Set(["CustomSMSSender", "CustomEmailSender", "InboundFederation"]);

/**
 * The function ARN a trigger slot names, or undefined when the pool configures none (Cognito then takes
 * its default path). PreTokenGeneration: `PreTokenGenerationConfig.LambdaArn` first, because Cognito
 * requires the legacy string to equal it when both are set, and only the config object can exist alone.
 */
export function functionArnFor(
  trigger: string,
  lambdaConfig: Record<string, unknown> | undefined,
): string | undefined {
  if (!lambdaConfig) return undefined;
  if (trigger === "PreTokenGeneration") {
    const config = lambdaConfig.PreTokenGenerationConfig;
    return (
      (isObject(config) ? nonEmpty(config.LambdaArn) : undefined) ?? nonEmpty(lambdaConfig.PreTokenGeneration)
    );
  }
  const slot = lambdaConfig[trigger];
  if (VERSIONED_SLOTS.has(trigger)) return isObject(slot) ? nonEmpty(slot.LambdaArn) : undefined;
  return nonEmpty(slot);
}

export type PreTokenVersion = "1" | "2" | "3";

/**
 * The PreTokenGeneration event `version`: "1" for the legacy string and V1_0, "2"/"3" for
 * `PreTokenGenerationConfig.LambdaVersion` V2_0/V3_0. Callers need it to build the event (V2/V3 add
 * `scopes` and expect `claimsAndScopeOverrideDetails`).
 */
export function preTokenVersion(lambdaConfig: Record<string, unknown> | undefined): PreTokenVersion {
  const config = lambdaConfig?.PreTokenGenerationConfig;
  const version = isObject(config) ? config.LambdaVersion : undefined;
  if (version === "V2_0") return "2";
  if (version === "V3_0") return "3";
  return "1";
}

/** `LambdaConfig.KMSKeyID`: the key custom senders' codes are encrypted under. */
export function kmsKeyIdOf(lambdaConfig: Record<string, unknown> | undefined): string | undefined {
  return nonEmpty(lambdaConfig?.KMSKeyID);
}
