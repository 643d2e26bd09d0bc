// Applies a CloudFormation template to the local edge like a stack create/update: diff by logical id, ordered by dependencies.
import { dependencyOrder } from "./graph.js";
import {
  conditionValue,
  evaluate,
  type IntrinsicScope,
  isPseudoParameter,
  referencedNames,
} from "./intrinsics.js";
import type { OutputState, ResourceState, StackState } from "./state.js";
import { type ResourceContext, ResourceError, type ResourceHandler, type ResourceHandlers } from "./types.js";

export interface TemplateResource {
  Type: string;
  Properties?: Record<string, unknown>;
  DependsOn?: string | string[];
  Condition?: string;
  [key: string]: unknown;
}

export interface CfnTemplate {
  Parameters?: Record<string, { Type?: string; Default?: unknown; [key: string]: unknown }>;
  Conditions?: Record<string, unknown>;
  Mappings?: Record<string, Record<string, Record<string, unknown>>>;
  Resources: Record<string, TemplateResource>;
  Outputs?: Record<
    string,
    { Value: unknown; Description?: unknown; Condition?: string; Export?: { Name: unknown } }
  >;
  [key: string]: unknown;
}

/** The stack-wide part of every handler's context; the engine adds the logical id. */
export type StackContext = Omit<ResourceContext, "logicalId">;

export interface ApplyOptions {
  handlers: ResourceHandlers;
  ctx: StackContext;
  /** The stack as last applied (undefined: a new stack). Not modified. */
  state: StackState | undefined;
  /** Called after every change, so the saved state always reflects what exists, even after a failure. */
  persist?: ((state: StackState) => Promise<void>) | undefined;
  /** Parameter values; parameters without one take their Default. */
  parameters?: Readonly<Record<string, string>> | undefined;
}

export interface SkippedResource {
  logicalId: string;
  type: string;
  reason: string;
}

export interface ApplySummary {
  created: string[];
  updated: string[];
  /** Updated with a new physical id: the new one was created, then the old one deleted. */
  replaced: string[];
  deleted: string[];
  unchanged: string[];
  skipped: SkippedResource[];
  warnings: string[];
}

export interface ApplyResult {
  state: StackState;
  summary: ApplySummary;
}

/** A problem with the template itself (CloudFormation's "Template format error"). */
export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TemplateError";
  }
}

const emptySummary = (): ApplySummary => ({
  created: [],
  updated: [],
  replaced: [],
  deleted: [],
  unchanged: [],
  skipped: [],
  warnings: [],
});

/** Suffix of the state key an old resource waits under until the replacement's cleanup deletes it. */
const REPLACED_SUFFIX = "~replaced";

export async function applyTemplate(template: CfnTemplate, options: ApplyOptions): Promise<ApplyResult> {
  const { handlers, ctx } = options;
  const summary = emptySummary();
  const warn = (message: string) => {
    summary.warnings.push(message);
    ctx.warn(message);
  };
  const resources = template.Resources ?? {};
  if (typeof resources !== "object" || Array.isArray(resources))
    throw new TemplateError("Template format error: Resources must be a mapping of logical ids");
  const parameters = resolveParameters(template, options.parameters ?? {});
  const previous = options.state;
  const state: StackState = {
    stackName: ctx.stackName,
    region: ctx.region,
    resources: structuredClone(previous?.resources ?? {}),
    outputs: previous?.outputs ?? {},
  };
  const persist = async () => {
    await options.persist?.(state);
  };

  const logicalIds = Object.keys(resources);
  const dependencies = new Map<string, Set<string>>();
  for (const logicalId of logicalIds)
    dependencies.set(logicalId, resourceDependencies(logicalId, resources, parameters));

  /** Resources deployed in this run (what Ref/GetAtt see); why the others are not. */
  const current = new Map<string, ResourceState>();
  const inactive = new Map<string, string>();
  const conditions = conditionEvaluator(template, () => scope);
  const scope: IntrinsicScope = {
    region: ctx.region,
    accountId: ctx.accountId,
    stackName: ctx.stackName,
    ref(name) {
      if (Object.hasOwn(parameters, name)) return parameters[name];
      return deployed(name).physicalId;
    },
    getAtt(logicalId, attribute) {
      const record = deployed(logicalId);
      const value = record.attributes[attribute];
      if (value === undefined)
        throw new Error(
          `Fn::GetAtt ${logicalId}.${attribute}: ${record.type} has no attribute ${attribute} locally`,
        );
      return value;
    },
    condition: (name) => conditions(name),
    mapping(map, top, second) {
      const value = template.Mappings?.[map]?.[top]?.[second];
      if (value === undefined) throw new Error(`Fn::FindInMap: no ${map}.${top}.${second} in Mappings`);
      return value;
    },
  };
  const deployed = (logicalId: string): ResourceState => {
    const record = current.get(logicalId);
    if (record) return record;
    const why = inactive.get(logicalId);
    if (why !== undefined) throw new Error(`${logicalId} ${why}`);
    if (!Object.hasOwn(resources, logicalId))
      throw new Error(`${logicalId} is not a resource or parameter of the template`);
    throw new Error(`${logicalId} is not created yet`);
  };

  for (const logicalId of dependencyOrder(logicalIds, dependencies)) {
    const resource = resources[logicalId] as TemplateResource;
    const type = resource.Type;
    if (resource.Condition !== undefined && !conditions(resource.Condition)) {
      inactive.set(logicalId, `is not created: its condition ${resource.Condition} is false`);
      continue;
    }
    const handler = handlers[type];
    if (!handler) {
      const reason = "not supported locally, skipped";
      inactive.set(logicalId, `(${type}) is ${reason}`);
      summary.skipped.push({ logicalId, type, reason });
      warn(`${logicalId} (${type}) is ${reason}`);
      continue;
    }
    const resourceCtx: ResourceContext = { ...ctx, logicalId, warn };
    let properties: Record<string, unknown>;
    try {
      properties = (evaluate(resource.Properties ?? {}, scope) ?? {}) as Record<string, unknown>;
    } catch (error) {
      throw new ResourceError(logicalId, (error as Error).message);
    }
    const dependsOn = [...(dependencies.get(logicalId) ?? [])];
    const old = state.resources[logicalId];
    try {
      if (!old || old.type !== type) {
        if (old) {
          // A changed type is a replacement: the old resource is deleted in the cleanup.
          state.resources[`${logicalId}${REPLACED_SUFFIX}`] = old;
          delete state.resources[logicalId];
        }
        const result = await handler.create(properties, resourceCtx);
        record(logicalId, type, result, properties, dependsOn);
        (old ? summary.replaced : summary.created).push(logicalId);
      } else if (stableJson(old.properties) === stableJson(properties)) {
        // In-memory resources (functions, permissions) come back after a restart from the saved state.
        if (handler.restore) await handler.restore(old.physicalId, properties, resourceCtx);
        current.set(logicalId, { ...old, dependsOn });
        state.resources[logicalId] = { ...old, dependsOn };
        summary.unchanged.push(logicalId);
        continue;
      } else {
        const result = await handler.update(old.physicalId, properties, old.properties, resourceCtx);
        if (result.physicalId !== old.physicalId) {
          state.resources[`${logicalId}${REPLACED_SUFFIX}`] = old;
          summary.replaced.push(logicalId);
        } else {
          summary.updated.push(logicalId);
        }
        record(logicalId, type, result, properties, dependsOn);
      }
    } catch (error) {
      throw asResourceError(logicalId, error);
    }
    await persist();
  }

  function record(
    logicalId: string,
    type: string,
    result: { physicalId: string; attributes: Record<string, unknown> },
    properties: Record<string, unknown>,
    dependsOn: string[],
  ): void {
    const entry: ResourceState = {
      logicalId,
      type,
      physicalId: result.physicalId,
      properties,
      attributes: result.attributes,
      dependsOn,
    };
    current.set(logicalId, entry);
    state.resources[logicalId] = entry;
  }

  // Cleanup, as CloudFormation's UPDATE_COMPLETE_CLEANUP_IN_PROGRESS: removed and replaced resources.
  const stale = Object.keys(state.resources).filter((key) => !current.has(key));
  summary.deleted.push(
    ...(await deleteResources(state, stale, { handlers, ctx, persist, warn })).filter(
      (key) => !key.endsWith(REPLACED_SUFFIX),
    ),
  );

  state.outputs = evaluateOutputs(template, scope, conditions, warn);
  await persist();
  return { state, summary };
}

/** Deletes every resource of the stack in reverse dependency order (`down`). */
export async function destroyStack(
  stateIn: StackState,
  options: {
    handlers: ResourceHandlers;
    ctx: StackContext;
    persist?: ((state: StackState) => Promise<void>) | undefined;
  },
): Promise<{ state: StackState; deleted: string[]; warnings: string[] }> {
  const state = structuredClone(stateIn);
  const warnings: string[] = [];
  const warn = (message: string) => {
    warnings.push(message);
    options.ctx.warn(message);
  };
  const deleted = await deleteResources(state, Object.keys(state.resources), {
    handlers: options.handlers,
    ctx: options.ctx,
    persist: async () => {
      await options.persist?.(state);
    },
    warn,
  });
  state.outputs = {};
  return { state, deleted, warnings };
}

async function deleteResources(
  state: StackState,
  keys: readonly string[],
  options: {
    handlers: ResourceHandlers;
    ctx: StackContext;
    persist: () => Promise<void>;
    warn: (message: string) => void;
  },
): Promise<string[]> {
  const set = new Set(keys);
  const dependencies = new Map<string, Set<string>>();
  for (const key of keys) {
    const entry = state.resources[key];
    // A replaced resource's dependents were its dependents under the logical id it shared.
    dependencies.set(key, new Set((entry?.dependsOn ?? []).filter((d) => set.has(d))));
  }
  const order = dependencyOrderLenient(keys, dependencies).reverse();
  const deleted: string[] = [];
  for (const key of order) {
    const entry = state.resources[key];
    if (!entry) continue;
    const handler: ResourceHandler | undefined = options.handlers[entry.type];
    if (handler) {
      try {
        await handler.delete(entry.physicalId, entry.properties, {
          ...options.ctx,
          logicalId: entry.logicalId,
          warn: options.warn,
        });
      } catch (error) {
        throw asResourceError(entry.logicalId, error);
      }
    } else {
      options.warn(`${entry.logicalId} (${entry.type}): no local handler to delete it; forgotten`);
    }
    delete state.resources[key];
    deleted.push(key);
    await options.persist();
  }
  return deleted;
}

/** Deletes never fail on a cycle in saved state: edges that close one are dropped. */
function dependencyOrderLenient(keys: readonly string[], dependencies: Map<string, Set<string>>): string[] {
  try {
    return dependencyOrder(keys, dependencies);
  } catch {
    return [...keys];
  }
}

function asResourceError(logicalId: string, error: unknown): ResourceError {
  if (error instanceof ResourceError) return error;
  return new ResourceError(logicalId, error instanceof Error ? error.message : String(error));
}

function resolveParameters(
  template: CfnTemplate,
  given: Readonly<Record<string, string>>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, definition] of Object.entries(template.Parameters ?? {})) {
    const raw = Object.hasOwn(given, name) ? given[name] : definition.Default;
    if (raw === undefined)
      throw new TemplateError(`Parameter ${name} has no Default and no value was given for the local deploy`);
    const type = definition.Type ?? "String";
    out[name] =
      type === "CommaDelimitedList" || type.startsWith("List<")
        ? Array.isArray(raw)
          ? raw
          : String(raw)
              .split(",")
              .map((item) => item.trim())
        : typeof raw === "number"
          ? String(raw)
          : raw;
  }
  return out;
}

function resourceDependencies(
  logicalId: string,
  resources: Record<string, TemplateResource>,
  parameters: Record<string, unknown>,
): Set<string> {
  const resource = resources[logicalId] as TemplateResource;
  if (typeof resource !== "object" || resource === null || typeof resource.Type !== "string")
    throw new TemplateError(`Template format error: resource ${logicalId} has no Type`);
  const out = new Set<string>();
  const unresolved: string[] = [];
  for (const name of referencedNames(resource.Properties ?? {})) {
    if (Object.hasOwn(parameters, name) || isPseudoParameter(name)) continue;
    if (Object.hasOwn(resources, name)) out.add(name);
    else unresolved.push(name);
  }
  if (unresolved.length > 0)
    throw new TemplateError(
      `Template format error: Unresolved resource dependencies [${unresolved.join(", ")}] in the Resources block of the template (${logicalId})`,
    );
  const dependsOn = resource.DependsOn === undefined ? [] : [resource.DependsOn].flat();
  for (const name of dependsOn) {
    if (typeof name !== "string" || !Object.hasOwn(resources, name))
      throw new TemplateError(
        `Template format error: ${logicalId} DependsOn ${JSON.stringify(name)}, which is not a resource`,
      );
    out.add(name);
  }
  return out;
}

function conditionEvaluator(template: CfnTemplate, scope: () => IntrinsicScope): (name: string) => boolean {
  const values = new Map<string, boolean>();
  const evaluating = new Set<string>();
  return (name) => {
    const known = values.get(name);
    if (known !== undefined) return known;
    const definitions = template.Conditions ?? {};
    if (!Object.hasOwn(definitions, name))
      throw new TemplateError(`Template format error: unknown condition ${name}`);
    if (evaluating.has(name))
      throw new TemplateError(`Template format error: condition ${name} refers to itself`);
    evaluating.add(name);
    try {
      const value = conditionValue(definitions[name], scope());
      values.set(name, value);
      return value;
    } finally {
      evaluating.delete(name);
    }
  };
}

function evaluateOutputs(
  template: CfnTemplate,
  scope: IntrinsicScope,
  conditions: (name: string) => boolean,
  warn: (message: string) => void,
): Record<string, OutputState> {
  const outputs: Record<string, OutputState> = {};
  for (const [name, output] of Object.entries(template.Outputs ?? {})) {
    if (output.Condition !== undefined && !conditions(output.Condition)) continue;
    try {
      const value = evaluate(output.Value, scope);
      const exportName = output.Export ? evaluate(output.Export.Name, scope) : undefined;
      const description = output.Description === undefined ? undefined : evaluate(output.Description, scope);
      outputs[name] = {
        value,
        ...(description === undefined ? {} : { description: String(description) }),
        ...(exportName === undefined ? {} : { exportName: String(exportName) }),
      };
    } catch (error) {
      // One output on a skipped resource must not fail the deploy: the rest are still useful.
      warn(`output ${name} skipped: ${(error as Error).message}`);
    }
  }
  return outputs;
}

/** JSON with sorted keys: resolved properties compare equal whatever order their keys were written in. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === "object" && !Array.isArray(inner)
      ? Object.fromEntries(
          Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : inner,
  );
}
