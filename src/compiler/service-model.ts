// The loaded service: resolved configuration as plain JSON, plus a way to find where each node came from.
import type { ConfigPath, SourceLocation } from "./errors.js";

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface LoadedService {
  /** Absolute path of the configuration file that was read. */
  configPath: string;
  /** Directory holding it: handlers and `${file(...)}` paths are relative to it. */
  serviceDir: string;
  /** The configuration with every variable resolved and CloudFormation tags turned into intrinsics. */
  config: JsonObject;
  /** Stage and region as Serverless decides them: flag, then provider setting, then default. */
  stage: string;
  region: string;
  /** Where a node of the configuration was written (the nearest ancestor that has a position). */
  locate(path: ConfigPath): SourceLocation | undefined;
}

export interface LoadOptions {
  /** Path to serverless.yml / .yaml / .json; when absent, looked up in cwd in that order. */
  configPath?: string | undefined;
  cwd: string;
  stage?: string | undefined;
  region?: string | undefined;
  /** Environment for `${env:...}`; injected so tests never read process.env. */
  env: Readonly<Record<string, string | undefined>>;
}
