// Lambda resource-based policies: who may invoke a function (AWS::Lambda::Permission, AddPermission).
import { functionNameOf } from "./registry.js";

export interface PermissionStatement {
  /** Statement id (`Sid`), unique per function. */
  sid: string;
  action: string;
  /** e.g. `cognito-idp.amazonaws.com`. */
  principal: string;
  sourceArn?: string | undefined;
  sourceAccount?: string | undefined;
}

export interface PermissionTable {
  /** Adds a statement; false when the function already has one with this sid (ResourceConflictException). */
  add(functionName: string, statement: PermissionStatement): boolean;
  /** Removes a statement; false when there was none (ResourceNotFoundException). */
  remove(functionName: string, sid: string): boolean;
  list(functionName: string): PermissionStatement[];
  /**
   * Whether the function's policy lets `principal` invoke it from `sourceArn`. Functions whose
   * permissions are not managed (e.g. `serve --functions`) are always allowed.
   */
  allows(functionNameOrArn: string, principal: string, sourceArn: string): boolean;
  /** Functions whose invocations are checked against their policy (deployed with `up`). */
  enforce(functionName: string, enforced: boolean): void;
}

const matches = (pattern: string, value: string) =>
  pattern === value ||
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".")}$`,
  ).test(value);

export function createPermissionTable(): PermissionTable {
  const policies = new Map<string, Map<string, PermissionStatement>>();
  const enforced = new Set<string>();
  const policy = (name: string) => {
    const key = functionNameOf(name);
    let found = policies.get(key);
    if (!found) {
      found = new Map();
      policies.set(key, found);
    }
    return found;
  };
  return {
    add(functionName, statement) {
      const statements = policy(functionName);
      if (statements.has(statement.sid)) return false;
      statements.set(statement.sid, statement);
      return true;
    },
    remove(functionName, sid) {
      return policy(functionName).delete(sid);
    },
    list: (functionName) => [...policy(functionName).values()],
    allows(functionNameOrArn, principal, sourceArn) {
      const name = functionNameOf(functionNameOrArn);
      if (!enforced.has(name)) return true;
      return [...policy(name).values()].some(
        (s) =>
          (s.action === "lambda:InvokeFunction" || s.action === "lambda:*") &&
          (s.principal === principal || s.principal === "*") &&
          (s.sourceArn === undefined || matches(s.sourceArn, sourceArn)),
      );
    },
    enforce(functionName, on) {
      if (on) enforced.add(functionNameOf(functionName));
      else enforced.delete(functionNameOf(functionName));
    },
  };
}
