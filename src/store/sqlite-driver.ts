// Loads better-sqlite3 with the few types the store uses, as long as @types/better-sqlite3 is not installed.
// An ambient `declare module` would shadow the real types once they are installed and break the default
// import, so this is a plain module; with @types present it can become `import Database from "better-sqlite3"`.
import { createRequire } from "node:module";

export interface RunResult {
  changes: number;
  lastInsertRowid: number | bigint;
}

export interface Statement {
  run(...params: unknown[]): RunResult;
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
}

export interface Database {
  readonly open: boolean;
  readonly inTransaction: boolean;
  prepare(source: string): Statement;
  exec(source: string): this;
  pragma(source: string, options?: { simple?: boolean }): unknown;
  /** Inside an open transaction the wrapped function runs in a SAVEPOINT. */
  // biome-ignore lint/suspicious/noExplicitAny: the wrapped function keeps its own parameter types.
  transaction<F extends (...args: any[]) => unknown>(fn: F): F;
  close(): this;
}

export interface DatabaseOptions {
  /** Busy timeout in milliseconds. */
  timeout?: number;
  readonly?: boolean;
  fileMustExist?: boolean;
}

const require = createRequire(import.meta.url);

export const Database = require("better-sqlite3") as new (
  filename: string,
  options?: DatabaseOptions,
) => Database;
