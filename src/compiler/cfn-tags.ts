// CloudFormation short-form tags (`!Ref`, `!GetAtt`, `!Sub`, ...) rewritten in the YAML tree as long-form intrinsics.
import type { Document, Node } from "yaml";
import { isMap, isScalar, isSeq, Pair, Scalar, YAMLMap, YAMLSeq } from "yaml";
import type { ConfigPath, Problem } from "./errors.js";

/** Short forms Serverless's cloudformation-schema knows, plus the newer CloudFormation language extensions. */
export const CFN_TAG_NAMES = [
  "And",
  "Base64",
  "Cidr",
  "Condition",
  "Equals",
  "FindInMap",
  "GetAtt",
  "GetAZs",
  "If",
  "ImportValue",
  "Join",
  "Length",
  "Not",
  "Or",
  "Ref",
  "Select",
  "Split",
  "Sub",
  "ToJsonString",
  "Transform",
] as const;

export type CfnTagName = (typeof CFN_TAG_NAMES)[number];

const TAGS = new Set<string>(CFN_TAG_NAMES);

// Standard tags the core schema (with yaml's known 1.1 extras) resolves itself.
const STANDARD_TAGS = new Set(
  [
    "str",
    "int",
    "float",
    "bool",
    "null",
    "map",
    "seq",
    "binary",
    "timestamp",
    "omap",
    "pairs",
    "set",
    "merge",
  ].map((name) => `tag:yaml.org,2002:${name}`),
);

export const UNKNOWN_CFN_TAG = "UNKNOWN_CFN_TAG";

/** The long-form key: `Ref` and `Condition` stand alone, every other function is `Fn::<Name>`. */
export function intrinsicKey(name: CfnTagName): string {
  return name === "Ref" || name === "Condition" ? name : `Fn::${name}`;
}

/**
 * `!GetAtt Resource.Attribute` splits at the first dot, as Serverless does (`[first, rest.join(".")]`,
 * so a name without a dot gives an empty attribute).
 */
export function splitGetAtt(text: string): [string, string] {
  const dot = text.indexOf(".");
  return dot < 0 ? [text, ""] : [text.slice(0, dot), text.slice(dot + 1)];
}

/**
 * Replaces every CloudFormation-tagged node of `doc` by a one-key map `{ "Fn::X": node }`, keeping source
 * ranges and anchors so positions and aliases still work. Returns a problem (without location) for each tag
 * that is neither CloudFormation's nor standard YAML's.
 */
export function expandCfnTags(doc: Document): Problem[] {
  const problems: Problem[] = [];
  const walk = (node: unknown, path: (string | number)[]): unknown => {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (pair.value != null) pair.value = walk(pair.value, [...path, keyText(pair.key)]);
      }
    } else if (isSeq(node)) {
      node.items = node.items.map((item, index) => walk(item, [...path, index]));
    }
    if (!isMap(node) && !isSeq(node) && !isScalar(node)) return node;
    const tag = node.tag;
    // A lone "!" is YAML's non-specific tag: the node is an ordinary string or collection.
    if (tag === undefined || tag === "!" || STANDARD_TAGS.has(tag)) return node;
    const name = tag.startsWith("!") ? tag.slice(1) : undefined;
    if (name !== undefined && TAGS.has(name)) return wrap(node, name as CfnTagName);
    problems.push({
      code: UNKNOWN_CFN_TAG,
      message: `unknown tag "${tag}": the CloudFormation short forms are ${CFN_TAG_NAMES.map((n) => `!${n}`).join(", ")}`,
      path: [...path] as ConfigPath,
    });
    return node;
  };
  doc.contents = walk(doc.contents, []) as Document["contents"];
  return problems;
}

/** The text of a map key as it becomes a JSON key (`<<` merge keys are symbols in the tree). */
export function keyText(key: unknown): string {
  if (isScalar(key)) {
    const value = key.value;
    return typeof value === "symbol" ? (value.description ?? "") : String(value);
  }
  return String(key);
}

function wrap(node: Scalar | YAMLMap | YAMLSeq, name: CfnTagName): YAMLMap {
  node.tag = undefined;
  let value: Node = node;
  if (name === "GetAtt" && isScalar(node) && typeof node.value === "string") {
    const seq = new YAMLSeq();
    seq.items = splitGetAtt(node.value).map((part) => withRange(new Scalar(part), node));
    value = withRange(seq, node);
  }
  const wrapper = withRange(new YAMLMap(), node);
  wrapper.items.push(new Pair(withRange(new Scalar(intrinsicKey(name)), node), value));
  // Aliases must see the intrinsic, not the bare value, so the anchor moves to the wrapper.
  if (node.anchor) {
    wrapper.anchor = node.anchor;
    node.anchor = undefined;
  }
  return wrapper;
}

function withRange<T extends Node>(target: T, from: Node): T {
  if (from.range) target.range = [...from.range];
  return target;
}
