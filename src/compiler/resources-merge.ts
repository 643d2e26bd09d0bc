// User `resources` merged into the compiled template exactly as Serverless v3 does (lodash merge, extensions, null stripping).
import merge from "lodash/merge.js";
import type { ProblemList } from "./errors.js";
import { cloneJson, isObject } from "./json.js";
import type { Json, JsonObject } from "./service-model.js";
import type { Template } from "./template.js";

const REPLACED_ATTRIBUTES = [
  "Condition",
  "CreationPolicy",
  "DeletionPolicy",
  "UpdatePolicy",
  "UpdateReplacePolicy",
];
const LOGICAL_ID = /^[a-zA-Z0-9]{1,255}$/;

/** Serverless's validator turns a scalar DependsOn into a one-element array before the merge. */
function coerceDependsOn(resources: Json | undefined): void {
  if (!isObject(resources)) return;
  for (const resource of Object.values(resources))
    if (isObject(resource) && resource.DependsOn !== undefined && !Array.isArray(resource.DependsOn))
      resource.DependsOn = [resource.DependsOn];
}

export function validateUserResources(resources: JsonObject | undefined, problems: ProblemList): void {
  const userResources = resources?.Resources;
  if (userResources === undefined || userResources === null) return;
  if (!isObject(userResources)) {
    problems.add("INVALID_NON_SCHEMA_COMPLIANT_CONFIGURATION", "must be object", ["resources", "Resources"]);
    return;
  }
  for (const [id, resource] of Object.entries(userResources)) {
    const path = ["resources", "Resources", id];
    if (!LOGICAL_ID.test(id))
      problems.add(
        "INVALID_NON_SCHEMA_COMPLIANT_CONFIGURATION",
        "logical ids must be alphanumeric (1-255 characters)",
        path,
      );
    // A Properties-only entry is legitimate: it overrides a generated resource of that id.
    if (!isObject(resource))
      problems.add("INVALID_NON_SCHEMA_COMPLIANT_CONFIGURATION", "must be object", path);
  }
}

export function mergeUserResources(
  template: Template,
  resources: JsonObject | undefined,
  problems: ProblemList,
): void {
  if (!resources) return;
  const user = cloneJson(resources);
  if (!user.Resources) user.Resources = {};
  if (!user.Outputs) user.Outputs = {};
  coerceDependsOn(user.Resources);
  const extensions = user.extensions;
  delete user.extensions;

  merge(template, user);

  if (isObject(extensions)) applyExtensions(template, extensions, problems);
}

function applyExtensions(template: Template, extensions: JsonObject, problems: ProblemList): void {
  for (const [id, extension] of Object.entries(extensions)) {
    const path = ["resources", "extensions", id];
    const resource = template.Resources[id];
    if (!resource) {
      problems.add(
        "RESOURCE_EXTENSION_NOT_EXISTING",
        `Cannot extend "${id}" resource, as it's not found in generated stack`,
        path,
      );
      continue;
    }
    if (!isObject(extension)) continue;
    for (const [attribute, value] of Object.entries(extension)) {
      if (REPLACED_ATTRIBUTES.includes(attribute)) resource[attribute] = value;
      else if (attribute === "Properties" || attribute === "Metadata") {
        const target = isObject(resource[attribute]) ? (resource[attribute] as JsonObject) : {};
        resource[attribute] = Object.assign(target, isObject(value) ? value : {});
      } else if (attribute === "DependsOn") {
        const current = resource.DependsOn;
        const list: Json[] = current === undefined ? [] : Array.isArray(current) ? current : [current];
        list.push(...(Array.isArray(value) ? value : [value]));
        resource.DependsOn = list;
      } else {
        problems.add(
          "RESOURCE_EXTENSION_UNSUPPORTED_ATTRIBUTE",
          `Cannot extend "${id}" resource, as extending the "${attribute}" attribute at this point is not supported.`,
          [...path, attribute],
        );
      }
    }
  }
}

/** Inside every resource's Properties, keys whose value is null are removed, at any depth. */
export function stripNullProperties(template: Template): void {
  const strip = (node: JsonObject | Json[]): void => {
    if (Array.isArray(node)) {
      for (const item of node) if (typeof item === "object" && item !== null) strip(item);
      return;
    }
    for (const [key, value] of Object.entries(node)) {
      if (value === null) delete node[key];
      else if (typeof value === "object") strip(value);
    }
  };
  for (const resource of Object.values(template.Resources)) {
    if (isObject(resource.Properties)) strip(resource.Properties);
    else delete resource.Properties;
  }
}
