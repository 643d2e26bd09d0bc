// A function registry over a fixed list: lookups by name, unqualified ARN, or qualified ARN.
import type { FunctionDefinition, FunctionRegistry } from "./ports.js";

/** `arn:aws:lambda:us-east-1:123:function:name[:qualifier]` → `name`; a plain name stays as it is. */
export function functionNameOf(nameOrArn: string): string {
  const match = /^arn:[^:]+:lambda:[^:]*:[^:]*:function:([^:]+)(?::[^:]+)?$/.exec(nameOrArn);
  return match?.[1] ?? nameOrArn;
}

export function createRegistry(definitions: readonly FunctionDefinition[]): FunctionRegistry {
  const byName = new Map(definitions.map((d) => [d.name, d]));
  return {
    resolve: (nameOrArn) => byName.get(functionNameOf(nameOrArn)),
    list: () => [...byName.values()],
  };
}

export interface MutableFunctionRegistry extends FunctionRegistry {
  /** Adds or replaces a function (a local deploy creating or updating AWS::Lambda::Function). */
  put(definition: FunctionDefinition): void;
  remove(name: string): void;
}

/** A registry the local deploy changes as it creates, updates and deletes functions. */
export function createMutableRegistry(initial: readonly FunctionDefinition[] = []): MutableFunctionRegistry {
  const byName = new Map(initial.map((d) => [d.name, d]));
  return {
    resolve: (nameOrArn) => byName.get(functionNameOf(nameOrArn)),
    list: () => [...byName.values()],
    put: (definition) => {
      byName.set(definition.name, definition);
    },
    remove: (name) => {
      byName.delete(functionNameOf(name));
    },
  };
}
