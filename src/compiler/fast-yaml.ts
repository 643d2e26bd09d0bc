// The quick parse for well-formed files: js-yaml with CloudFormation tags, several times faster than the positional parser.
import * as jsyaml from "js-yaml";
import { CORE_SCHEMA, load, Type } from "js-yaml";
import { CFN_TAG_NAMES, intrinsicKey, splitGetAtt } from "./cfn-tags.js";

/**
 * The same schema as the positional parse in load-service.ts: YAML 1.2 core (no timestamps),
 * `<<` merge keys, and the CloudFormation short forms as long-form intrinsics.
 */
// `types` is exported by js-yaml 4 but missing from its type declarations.
const { merge } = (jsyaml as unknown as { types: { merge: Type } }).types;

const SCHEMA = CORE_SCHEMA.extend({
  implicit: [merge],
  explicit: CFN_TAG_NAMES.flatMap((name) =>
    (["scalar", "sequence", "mapping"] as const).map(
      (kind) =>
        new Type(`!${name}`, {
          kind,
          construct: (data: unknown) => {
            const value = kind === "scalar" ? (data ?? "") : data;
            if (name === "GetAtt" && typeof value === "string")
              return { [intrinsicKey(name)]: splitGetAtt(value) };
            return { [intrinsicKey(name)]: value };
          },
        }),
    ),
  ),
});

/**
 * Parses `text`, or returns undefined when the fast parser cannot (syntax errors, unknown tags,
 * duplicate keys...): the caller then uses the positional parser, which reports problems precisely.
 */
export function fastParse(text: string): { value: unknown } | undefined {
  try {
    return { value: load(text, { schema: SCHEMA }) };
  } catch {
    return undefined;
  }
}
