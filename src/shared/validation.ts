// Input validation worded as AWS's Smithy front end words it ("1 validation error detected: Value ... at 'x' ...").
import { AwsError, invalidParameter } from "./aws-error.js";

/** Wrong JSON types never reach Cognito's handlers: the front end answers SerializationException. */
export const serializationError = (message: string) => new AwsError("SerializationException", message);

type Check = (value: unknown, member: string, errors: string[]) => unknown;

interface StringRule {
  required?: boolean;
  min?: number;
  max?: number;
  pattern?: RegExp;
  /** The pattern as AWS prints it in the message. */
  patternText?: string;
  /** Passwords and secrets: the value is never echoed in messages. */
  sensitive?: boolean;
  enum?: readonly string[];
}

interface NumberRule {
  required?: boolean;
  min?: number;
  max?: number;
}

/** Smithy member names in messages are lower camel case: `UserPoolId` → `userPoolId`. */
export function memberName(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

function describe(value: unknown, sensitive: boolean | undefined): string {
  if (sensitive) return "";
  if (typeof value === "string") return ` '${value}'`;
  return ` '${String(value)}'`;
}

export function str(rule: StringRule = {}): Check {
  return (value, member, errors) => {
    if (value === undefined || value === null) {
      if (rule.required)
        errors.push(`Value null at '${member}' failed to satisfy constraint: Member must not be null`);
      return undefined;
    }
    if (typeof value !== "string")
      throw serializationError(`STRING_VALUE can not be converted to ${typeof value}`);
    const shown = describe(value, rule.sensitive);
    // Smithy measures length in code points.
    const length = [...value].length;
    if (rule.min !== undefined && length < rule.min)
      errors.push(
        `Value${shown} at '${member}' failed to satisfy constraint: Member must have length greater than or equal to ${rule.min}`,
      );
    if (rule.max !== undefined && length > rule.max)
      errors.push(
        `Value${shown} at '${member}' failed to satisfy constraint: Member must have length less than or equal to ${rule.max}`,
      );
    if (rule.pattern && !rule.pattern.test(value))
      errors.push(
        `Value${shown} at '${member}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${rule.patternText ?? rule.pattern.source}`,
      );
    if (rule.enum && !rule.enum.includes(value))
      errors.push(
        `Value${shown} at '${member}' failed to satisfy constraint: Member must satisfy enum value set: [${rule.enum.join(", ")}]`,
      );
    return value;
  };
}

export function int(rule: NumberRule = {}): Check {
  return (value, member, errors) => {
    if (value === undefined || value === null) {
      if (rule.required)
        errors.push(`Value null at '${member}' failed to satisfy constraint: Member must not be null`);
      return undefined;
    }
    if (typeof value !== "number" || !Number.isFinite(value))
      throw serializationError(`NUMBER_VALUE can not be converted to ${typeof value}`);
    if (!Number.isInteger(value)) throw serializationError("NUMBER_VALUE can not be converted to an Integer");
    if (rule.min !== undefined && value < rule.min)
      errors.push(
        `Value '${value}' at '${member}' failed to satisfy constraint: Member must have value greater than or equal to ${rule.min}`,
      );
    if (rule.max !== undefined && value > rule.max)
      errors.push(
        `Value '${value}' at '${member}' failed to satisfy constraint: Member must have value less than or equal to ${rule.max}`,
      );
    return value;
  };
}

export function bool(rule: { required?: boolean } = {}): Check {
  return (value, member, errors) => {
    if (value === undefined || value === null) {
      if (rule.required)
        errors.push(`Value null at '${member}' failed to satisfy constraint: Member must not be null`);
      return undefined;
    }
    if (typeof value !== "boolean")
      throw serializationError(`BOOLEAN_VALUE can not be converted to ${typeof value}`);
    return value;
  };
}

export function list(item: Check, rule: { required?: boolean; min?: number; max?: number } = {}): Check {
  return (value, member, errors) => {
    if (value === undefined || value === null) {
      if (rule.required)
        errors.push(`Value null at '${member}' failed to satisfy constraint: Member must not be null`);
      return undefined;
    }
    if (!Array.isArray(value)) throw serializationError("Start of list found where not expected");
    if (rule.min !== undefined && value.length < rule.min)
      errors.push(
        `Value '[]' at '${member}' failed to satisfy constraint: Member must have length greater than or equal to ${rule.min}`,
      );
    if (rule.max !== undefined && value.length > rule.max)
      errors.push(
        `Value at '${member}' failed to satisfy constraint: Member must have length less than or equal to ${rule.max}`,
      );
    return value.map((v, i) => item(v, `${member}.${i + 1}.member`, errors));
  };
}

/** A string→string map such as ClientMetadata. */
export function stringMap(rule: { required?: boolean } = {}): Check {
  return (value, member, errors) => {
    if (value === undefined || value === null) {
      if (rule.required)
        errors.push(`Value null at '${member}' failed to satisfy constraint: Member must not be null`);
      return undefined;
    }
    if (typeof value !== "object" || Array.isArray(value))
      throw serializationError("Start of structure or map found where not expected");
    for (const v of Object.values(value))
      if (typeof v !== "string") throw serializationError("STRING_VALUE can not be converted to a map value");
    return value;
  };
}

/** A nested structure; `fields` validate its members (unknown members are accepted silently, as AWS does). */
export function struct(fields: Record<string, Check>, rule: { required?: boolean } = {}): Check {
  return (value, member, errors) => {
    if (value === undefined || value === null) {
      if (rule.required)
        errors.push(`Value null at '${member}' failed to satisfy constraint: Member must not be null`);
      return undefined;
    }
    if (typeof value !== "object" || Array.isArray(value))
      throw serializationError("Start of structure or map found where not expected");
    const input = value as Record<string, unknown>;
    const out: Record<string, unknown> = { ...input };
    for (const [name, check] of Object.entries(fields)) {
      const checked = check(input[name], member ? `${member}.${memberName(name)}` : memberName(name), errors);
      if (checked !== undefined) out[name] = checked;
    }
    return out;
  };
}

/** Any JSON value (passed through): for members validated by the action itself. */
export const any: Check = (value) => value;

/** `AttributeType` lists: `[{Name, Value}]`. */
export const attributeList = (rule: { required?: boolean } = {}) =>
  list(
    struct({
      Name: str({
        required: true,
        min: 1,
        max: 32,
        pattern: /^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u,
        patternText: "[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+",
      }),
      Value: str({ max: 2048, sensitive: true }),
    }),
    rule,
  );

/**
 * Validates `input` against the action's members and throws InvalidParameterException listing every
 * constraint violation as AWS does ("2 validation errors detected: ...; ...").
 */
export function validate<T = Record<string, unknown>>(
  input: Record<string, unknown>,
  fields: Record<string, Check>,
): T {
  const errors: string[] = [];
  const out = struct(fields, { required: true })(input, "", errors) as T;
  if (errors.length > 0)
    throw invalidParameter(
      `${errors.length} validation error${errors.length === 1 ? "" : "s"} detected: ${errors.join("; ")}`,
    );
  return out;
}

// Shared member rules.
export const USER_POOL_ID = str({
  required: true,
  min: 1,
  max: 55,
  pattern: /^[\w-]+_[0-9a-zA-Z]+$/,
  patternText: "[\\w-]+_[0-9a-zA-Z]+",
});
export const CLIENT_ID = str({
  required: true,
  min: 1,
  max: 128,
  pattern: /^[\w+]+$/,
  patternText: "[\\w+]+",
  sensitive: true,
});
export const USERNAME = str({
  required: true,
  min: 1,
  max: 128,
  pattern: /^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u,
  patternText: "[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+",
  sensitive: true,
});
export const PASSWORD = (required = true) =>
  str({ required, min: 1, max: 256, pattern: /^[\S]+$/, patternText: "[\\S]+", sensitive: true });
export const CODE = str({
  required: true,
  min: 1,
  max: 2048,
  pattern: /^[\S]+$/,
  patternText: "[\\S]+",
  sensitive: true,
});
export const ACCESS_TOKEN = str({
  required: true,
  pattern: /^[A-Za-z0-9-_=.]+$/,
  patternText: "[A-Za-z0-9-_=.]+",
  sensitive: true,
});
export const SECRET_HASH = str({
  min: 1,
  max: 128,
  pattern: /^[\w+=/]+$/,
  patternText: "[\\w+=/]+",
  sensitive: true,
});
export const GROUP_NAME = str({
  required: true,
  min: 1,
  max: 128,
  pattern: /^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u,
  patternText: "[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+",
});
export const PAGINATION_TOKEN = str({ min: 1, pattern: /^[\S]+$/, patternText: "[\\S]+" });
export const LIMIT = int({ min: 0, max: 60 });
export const CLIENT_METADATA = stringMap();
