// CloudFormation intrinsic functions and pseudo parameters, evaluated against the resources deployed so far.

/** What the evaluator asks the engine for; each throws a clear error when the answer does not exist. */
export interface IntrinsicScope {
  region: string;
  accountId: string;
  stackName: string;
  /** `Ref` to a parameter or a resource (pseudo parameters are handled here). */
  ref(name: string): unknown;
  getAtt(logicalId: string, attribute: string): unknown;
  condition(name: string): boolean;
  /** `Fn::FindInMap`. */
  mapping(map: string, top: string, second: string): unknown;
}

export class IntrinsicError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "IntrinsicError";
  }
}

/** `AWS::NoValue`: removes the property or list element that evaluates to it. */
const NO_VALUE = Symbol("AWS::NoValue");

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

export function pseudoParameter(name: string, scope: IntrinsicScope): unknown {
  switch (name) {
    case "AWS::Region":
      return scope.region;
    case "AWS::AccountId":
      return scope.accountId;
    case "AWS::StackName":
      return scope.stackName;
    case "AWS::StackId":
      return `arn:aws:cloudformation:${scope.region}:${scope.accountId}:stack/${scope.stackName}/00000000-0000-0000-0000-000000000000`;
    case "AWS::Partition":
      return "aws";
    case "AWS::URLSuffix":
      return "amazonaws.com";
    case "AWS::NotificationARNs":
      return [];
    case "AWS::NoValue":
      return NO_VALUE;
    default:
      return undefined;
  }
}

export const isPseudoParameter = (name: string): boolean => name.startsWith("AWS::");

/** Evaluates every intrinsic in `value`; `AWS::NoValue` removes the key or element it stands for. */
export function evaluate(value: unknown, scope: IntrinsicScope): unknown {
  const result = evaluateNode(value, scope);
  return result === NO_VALUE ? undefined : result;
}

function evaluateNode(value: unknown, scope: IntrinsicScope): unknown {
  if (Array.isArray(value)) return value.map((v) => evaluateNode(v, scope)).filter((v) => v !== NO_VALUE);
  if (!isObject(value)) return value;
  const keys = Object.keys(value);
  const only = keys.length === 1 ? keys[0] : undefined;
  if (only !== undefined && (only === "Ref" || only.startsWith("Fn::")))
    return evaluateFunction(only, value[only], scope);
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const evaluated = evaluateNode(value[key], scope);
    if (evaluated !== NO_VALUE) out[key] = evaluated;
  }
  return out;
}

function args(name: string, raw: unknown, scope: IntrinsicScope, count?: number): unknown[] {
  const evaluated = evaluateNode(raw, scope);
  if (!Array.isArray(evaluated) || (count !== undefined && evaluated.length !== count))
    throw new IntrinsicError(
      `${name} takes a list${count === undefined ? "" : ` of ${count} values`}, not ${JSON.stringify(raw)}`,
    );
  return evaluated;
}

const asString = (name: string, value: unknown): string => {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  throw new IntrinsicError(`${name} needs a string, not ${JSON.stringify(value)}`);
};

function evaluateFunction(name: string, raw: unknown, scope: IntrinsicScope): unknown {
  switch (name) {
    case "Ref": {
      if (typeof raw !== "string") throw new IntrinsicError(`Ref takes a name, not ${JSON.stringify(raw)}`);
      if (isPseudoParameter(raw)) {
        const pseudo = pseudoParameter(raw, scope);
        if (pseudo === undefined) throw new IntrinsicError(`unknown pseudo parameter ${raw}`);
        return pseudo;
      }
      return scope.ref(raw);
    }
    case "Fn::GetAtt": {
      const [logicalId, attribute] = getAttArgs(raw, scope);
      return scope.getAtt(logicalId, attribute);
    }
    case "Fn::Sub":
      return sub(raw, scope);
    case "Fn::Join": {
      const [delimiter, list] = args(name, raw, scope, 2);
      if (!Array.isArray(list))
        throw new IntrinsicError(`Fn::Join needs a list to join, not ${JSON.stringify(list)}`);
      return list.map((item) => asString(name, item)).join(asString(name, delimiter));
    }
    case "Fn::Select": {
      const [index, list] = args(name, raw, scope, 2);
      const position = Number(index);
      if (!Array.isArray(list) || !Number.isInteger(position) || position < 0 || position >= list.length)
        throw new IntrinsicError(
          `Fn::Select index ${JSON.stringify(index)} is outside ${JSON.stringify(list)}`,
        );
      return list[position];
    }
    case "Fn::Split": {
      const [delimiter, text] = args(name, raw, scope, 2);
      return asString(name, text).split(asString(name, delimiter));
    }
    case "Fn::If": {
      // Only the chosen branch is evaluated, as CloudFormation does: the other may name skipped resources.
      if (!Array.isArray(raw) || raw.length !== 3 || typeof raw[0] !== "string")
        throw new IntrinsicError(`Fn::If takes [condition, value if true, value if false]`);
      return evaluateNode(scope.condition(raw[0]) ? raw[1] : raw[2], scope);
    }
    case "Fn::Equals": {
      const [a, b] = args(name, raw, scope, 2);
      return JSON.stringify(a) === JSON.stringify(b) || (a !== undefined && String(a) === String(b));
    }
    case "Fn::And":
    case "Fn::Or": {
      if (!Array.isArray(raw) || raw.length < 2 || raw.length > 10)
        throw new IntrinsicError(`${name} takes 2 to 10 conditions`);
      const values = raw.map((c) => conditionValue(c, scope));
      return name === "Fn::And" ? values.every(Boolean) : values.some(Boolean);
    }
    case "Fn::Not": {
      if (!Array.isArray(raw) || raw.length !== 1) throw new IntrinsicError("Fn::Not takes one condition");
      return !conditionValue(raw[0], scope);
    }
    case "Fn::GetAZs": {
      const region = asString(name, evaluateNode(raw, scope)) || scope.region;
      return ["a", "b", "c"].map((suffix) => `${region}${suffix}`);
    }
    case "Fn::Base64":
      return Buffer.from(asString(name, evaluateNode(raw, scope))).toString("base64");
    case "Fn::FindInMap": {
      const [map, top, second] = args(name, raw, scope, 3);
      return scope.mapping(asString(name, map), asString(name, top), asString(name, second));
    }
    case "Fn::ImportValue":
      throw new IntrinsicError(
        `Fn::ImportValue ${JSON.stringify(raw)} cannot be resolved locally: the local deploy runs one stack and has no other stacks' exports; pass the value in directly (a parameter or a literal) for local runs`,
      );
    default:
      throw new IntrinsicError(`${name} is not supported by the local deploy`);
  }
}

/** A condition operand: `{Condition: name}` or an Fn:: condition function. */
export function conditionValue(raw: unknown, scope: IntrinsicScope): boolean {
  if (isObject(raw) && Object.keys(raw).length === 1 && typeof raw.Condition === "string")
    return scope.condition(raw.Condition);
  const value = evaluateNode(raw, scope);
  if (typeof value === "boolean") return value;
  if (value === "true" || value === "false") return value === "true";
  throw new IntrinsicError(`a condition must evaluate to true or false, not ${JSON.stringify(value)}`);
}

function getAttArgs(raw: unknown, scope: IntrinsicScope): [string, string] {
  if (typeof raw === "string") {
    const dot = raw.indexOf(".");
    if (dot > 0) return [raw.slice(0, dot), raw.slice(dot + 1)];
  } else if (Array.isArray(raw) && raw.length === 2 && typeof raw[0] === "string") {
    return [raw[0], asString("Fn::GetAtt", evaluateNode(raw[1], scope))];
  }
  throw new IntrinsicError(
    `Fn::GetAtt takes [resource, attribute] or "resource.attribute", not ${JSON.stringify(raw)}`,
  );
}

const SUB_VARIABLE = /\$\{([^}]*)\}/g;

function sub(raw: unknown, scope: IntrinsicScope): string {
  let text: unknown = raw;
  let variables: Record<string, unknown> = {};
  if (Array.isArray(raw)) {
    if (raw.length !== 2 || typeof raw[0] !== "string" || !isObject(raw[1]))
      throw new IntrinsicError("Fn::Sub takes a string or [string, {variables}]");
    text = raw[0];
    variables = evaluateNode(raw[1], scope) as Record<string, unknown>;
  }
  if (typeof text !== "string")
    throw new IntrinsicError(`Fn::Sub needs a string, not ${JSON.stringify(raw)}`);
  return text.replace(SUB_VARIABLE, (match, inner: string) => {
    // `${!Literal}` is written as `${Literal}`.
    if (inner.startsWith("!")) return `\${${inner.slice(1)}}`;
    const name = inner.trim();
    if (Object.hasOwn(variables, name)) return asString("Fn::Sub", variables[name]);
    if (isPseudoParameter(name)) {
      const pseudo = pseudoParameter(name, scope);
      if (pseudo === undefined || pseudo === NO_VALUE)
        throw new IntrinsicError(`Fn::Sub cannot use ${match}`);
      return asString("Fn::Sub", pseudo);
    }
    const dot = name.indexOf(".");
    return asString(
      "Fn::Sub",
      dot > 0 ? scope.getAtt(name.slice(0, dot), name.slice(dot + 1)) : scope.ref(name),
    );
  });
}

/**
 * The names `value` refers to (Ref, Fn::GetAtt, Fn::Sub variables), both branches of every Fn::If
 * included: what decides the order resources are created in. Pseudo parameters are left out.
 */
export function referencedNames(value: unknown, into: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) {
    for (const item of value) referencedNames(item, into);
    return into;
  }
  if (!isObject(value)) return into;
  for (const [key, inner] of Object.entries(value)) {
    if (key === "Ref" && typeof inner === "string") {
      if (!isPseudoParameter(inner)) into.add(inner);
    } else if (key === "Fn::GetAtt") {
      if (typeof inner === "string") into.add(inner.split(".")[0] ?? inner);
      else if (Array.isArray(inner) && typeof inner[0] === "string") into.add(inner[0]);
    } else if (key === "Fn::Sub") {
      const text = Array.isArray(inner) ? inner[0] : inner;
      const local = Array.isArray(inner) && isObject(inner[1]) ? inner[1] : {};
      if (typeof text === "string")
        for (const match of text.matchAll(SUB_VARIABLE)) {
          const name = (match[1] ?? "").trim();
          if (name.startsWith("!") || Object.hasOwn(local, name) || isPseudoParameter(name)) continue;
          into.add(name.split(".")[0] ?? name);
        }
      if (Array.isArray(inner)) referencedNames(inner[1], into);
    } else {
      referencedNames(inner, into);
    }
  }
  return into;
}
