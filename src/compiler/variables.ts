// Serverless v3 variables (`${source:address, fallback}`): syntax parser and an offline resolver over plain JSON.
import { isAbsolute, relative, resolve as resolvePath, sep } from "node:path";
import type { ConfigPath, Problem } from "./errors.js";
import { formatPath } from "./errors.js";
import type { Json, JsonObject } from "./service-model.js";

// ---------------------------------------------------------------------------------------------------------
// Syntax
// ---------------------------------------------------------------------------------------------------------

/** One `${...}` occurrence: where it stands in its string and its sources in fallback order. */
export interface VariableRef {
  start: number;
  end: number;
  text: string;
  sources: VariableSource[];
}

export type VariableSource =
  | { kind: "literal"; value: Json }
  | { kind: "variable"; variable: VariableRef }
  | { kind: "source"; type: string; params: Template[] | undefined; address: Template | undefined };

/** A string split into literal text and variables; a lone variable keeps the type of what it resolves to. */
export interface Template {
  text: string;
  parts: (string | VariableRef)[];
}

export class VariableSyntaxError extends Error {
  override name = "VariableSyntaxError";
}

// Deeper `${${${...}}}` nesting than this is never intentional, and the parser recurses per level.
const MAX_SYNTAX_NESTING = 20;
const TYPE_START = /[a-z]/;
const TYPE_CHAR = /[a-zA-Z0-9]/;

/** True when `text` holds at least one Serverless variable (CloudFormation `${AWS::Region}` etc. do not count). */
export function hasVariables(text: string): boolean {
  if (!text.includes("${")) return false;
  return parseTemplate(text).parts.some((part) => typeof part !== "string");
}

/**
 * Splits a configuration string into text and variables, following Serverless v3's parser: `${` starts a
 * variable only when followed by a lowercase source type and `:` or `(`; anything else (`${AWS::Region}`,
 * `${Param}`, `${ opt:x}`) is foreign text left for CloudFormation. A backslash protects the next character.
 */
export function parseTemplate(text: string): Template {
  return new TemplateParser(text).parseTop();
}

class TemplateParser {
  private pos = 0;
  private nesting = 0;

  constructor(private readonly s: string) {}

  parseTop(): Template {
    const { s } = this;
    const parts: (string | VariableRef)[] = [];
    let buf = "";
    while (this.pos < s.length) {
      const c = s[this.pos];
      if (c === "\\" && this.pos + 1 < s.length) {
        buf += s.slice(this.pos, this.pos + 2);
        this.pos += 2;
        continue;
      }
      if (c === "$" && s[this.pos + 1] === "{") {
        const variable = this.tryVariable();
        if (variable) {
          if (buf) parts.push(buf);
          buf = "";
          parts.push(variable);
          continue;
        }
        // Foreign `${`: keep it as text but keep scanning inside, as Serverless does.
        buf += "${";
        this.pos += 2;
        continue;
      }
      buf += c;
      this.pos++;
    }
    if (buf) parts.push(buf);
    return { text: s, parts };
  }

  private fail(message: string): never {
    throw new VariableSyntaxError(`${message} (at index ${this.pos} of "${this.s}")`);
  }

  /** At `${`: parses a variable, or returns undefined (position unchanged) when the braces are not one. */
  private tryVariable(): VariableRef | undefined {
    const { s } = this;
    const start = this.pos;
    let p = start + 2;
    if (!TYPE_START.test(s[p] ?? "")) return undefined;
    while (TYPE_CHAR.test(s[p] ?? "")) p++;
    const after = s[p];
    if (after !== ":" && after !== "(") return undefined;
    if (after === ":" && s[p + 1] === ":") return undefined;
    if (this.nesting >= MAX_SYNTAX_NESTING) this.fail("variables are nested too deeply");
    this.nesting++;
    this.pos = start + 2;
    const sources: VariableSource[] = [];
    for (;;) {
      this.skipSpaces();
      const source = this.parseSource(sources.length === 0);
      sources.push(source);
      this.skipSpaces();
      const c = s[this.pos];
      if (c === ",") {
        if (source.kind === "literal") this.fail("a literal fallback must be the last one");
        this.pos++;
        continue;
      }
      if (c === "}") {
        this.pos++;
        break;
      }
      if (c === undefined) this.fail("missing closing } of variable");
      this.fail(`unexpected "${c}" in variable`);
    }
    this.nesting--;
    return { start, end: this.pos, text: s.slice(start, this.pos), sources };
  }

  private skipSpaces(): void {
    while (this.s[this.pos] === " ") this.pos++;
  }

  private parseSource(first: boolean): VariableSource {
    const { s } = this;
    const c = s[this.pos];
    if (c === "$" && s[this.pos + 1] === "{") {
      const variable = this.tryVariable();
      if (!variable) this.fail("invalid nested variable");
      return { kind: "variable", variable };
    }
    if (!first && (c === "'" || c === '"')) return { kind: "literal", value: this.parseQuoted() };
    const match = /^[a-z][a-zA-Z0-9]*/.exec(s.slice(this.pos));
    const next = match ? s[this.pos + match[0].length] : undefined;
    if (match && (next === ":" || next === "(")) {
      const type = match[0];
      this.pos += type.length;
      let params: Template[] | undefined;
      let address: Template | undefined;
      if (s[this.pos] === "(") {
        this.pos++;
        params = this.parseParams();
      }
      if (s[this.pos] === ":") {
        this.pos++;
        address = this.parseAddress();
      }
      return { kind: "source", type, params, address };
    }
    if (first) this.fail("expected a variable source such as self:, opt:, env: or file(...)");
    return { kind: "literal", value: this.parseBareLiteral() };
  }

  private parseQuoted(): string {
    const { s } = this;
    const quote = s[this.pos];
    const start = this.pos;
    this.pos++;
    while (this.pos < s.length && s[this.pos] !== quote) {
      if (quote === '"' && s[this.pos] === "\\") this.pos++;
      this.pos++;
    }
    if (this.pos >= s.length) this.fail("unterminated quoted string");
    this.pos++;
    const raw = s.slice(start, this.pos);
    if (quote === "'") return raw.slice(1, -1);
    try {
      return JSON.parse(raw) as string;
    } catch (error) {
      this.fail(`invalid string literal ${raw}: ${(error as Error).message}`);
    }
  }

  private parseBareLiteral(): Json {
    const { s } = this;
    const start = this.pos;
    while (this.pos < s.length && s[this.pos] !== "," && s[this.pos] !== "}") this.pos++;
    const token = s.slice(start, this.pos).trim();
    if (token === "true") return true;
    if (token === "false") return false;
    if (token === "null") return null;
    const asNumber = Number(token);
    if (token !== "" && /^[-+]?[0-9.]/.test(token) && Number.isFinite(asNumber)) return asNumber;
    this.pos = start;
    this.fail(
      `invalid fallback value "${token}": strings must be quoted ('${token}'), other literals are numbers, true, false or null`,
    );
  }

  /** Reads text up to one of `stops` at nesting level 0, taking nested variables as parts. */
  private parsePiece(stops: string): Template {
    const { s } = this;
    this.skipSpaces();
    const c = s[this.pos];
    if (c === "'" || c === '"') {
      const start = this.pos;
      const value = this.parseQuoted();
      this.skipSpaces();
      return { text: s.slice(start, this.pos).trim(), parts: [value] };
    }
    const start = this.pos;
    const parts: (string | VariableRef)[] = [];
    let buf = "";
    while (this.pos < s.length && !stops.includes(s[this.pos] as string)) {
      if (s[this.pos] === "$" && s[this.pos + 1] === "{") {
        const variable = this.tryVariable();
        if (!variable) this.fail("invalid nested variable");
        if (buf) parts.push(buf);
        buf = "";
        parts.push(variable);
        continue;
      }
      buf += s[this.pos];
      this.pos++;
    }
    buf = buf.trimEnd();
    if (buf) parts.push(buf);
    return { text: s.slice(start, this.pos).trim(), parts };
  }

  private parseAddress(): Template {
    return this.parsePiece(",}");
  }

  private parseParams(): Template[] {
    const { s } = this;
    const params: Template[] = [];
    this.skipSpaces();
    if (s[this.pos] === ")") {
      this.pos++;
      return params;
    }
    for (;;) {
      params.push(this.parsePiece(",)}"));
      const c = s[this.pos];
      if (c === ",") {
        this.pos++;
        continue;
      }
      if (c === ")") {
        this.pos++;
        return params;
      }
      this.fail("missing ) after parameters");
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Resolution
// ---------------------------------------------------------------------------------------------------------

export type FileLoadResult =
  | { status: "ok"; value: Json }
  | { status: "missing" }
  | { status: "error"; message: string };

export interface ResolveContext {
  /** Directory of the configuration; `${file(...)}` paths are relative to it and must stay inside it. */
  serviceDir: string;
  /** CLI options: the only ones `${opt:...}` knows. */
  stage?: string | undefined;
  region?: string | undefined;
  env: Readonly<Record<string, string | undefined>>;
  /** Reads and parses a `${file(...)}` target (absolute path); called at most once per file. */
  loadFile(absolutePath: string): FileLoadResult;
}

export interface ResolveResult {
  /** The configuration with every resolvable variable replaced (unresolvable ones keep their text). */
  config: JsonObject;
  /** Problems without locations: the caller knows where paths are in the source. */
  problems: Problem[];
}

export const VARIABLE_PROBLEM_CODE = "VARIABLE_RESOLUTION_ERROR";
/** Serverless gives up after 10 rounds of values resolving to values that hold variables. */
export const MAX_VALUE_NESTING = 10;
/** Chains of properties referring to properties; bounds the resolver's recursion. */
export const MAX_REFERENCE_CHAIN = 200;
/** Values copied by `${self:...}`/`${file(...)}` in total; stops configurations that double at each level. */
export const MAX_RESOLVED_NODES = 1_000_000;
export const MAX_STRING_LENGTH = 1_000_000;

/** Sources that only make sense against a live AWS account. */
const AWS_SOURCES = new Set(["ssm", "cf", "s3", "param"]);

type Failure =
  /** No value: the next fallback is tried. */
  | { kind: "missing"; message: string }
  /** A configuration error: fallbacks do not apply. */
  | { kind: "error"; message: string }
  /** Depends on a property whose own failure is already reported. */
  | { kind: "dependency"; message: string };

type Outcome<T> = { ok: true; value: T } | { ok: false; failure: Failure };

interface Scope {
  /** The property being resolved: problems are reported there. */
  path: ConfigPath;
  /** How many times values resolved from variables were themselves resolved on the way here. */
  depth: number;
}

interface Pending {
  path: ConfigPath;
  template: Template;
  state: "pending" | "resolving" | "failed";
}

const ok = <T>(value: T): Outcome<T> => ({ ok: true, value });
const fail = (kind: Failure["kind"], message: string): Outcome<never> => ({
  ok: false,
  failure: { kind, message },
});

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function setOwn(target: JsonObject | Json[], key: string | number, value: Json): void {
  if (Array.isArray(target)) target[key as number] = value;
  // A plain assignment to "__proto__" would change the prototype instead of adding the key.
  else Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function childOf(value: Json | undefined, key: string): { key: string | number; value: Json } | undefined {
  if (Array.isArray(value)) {
    if (!/^\d+$/.test(key)) return undefined;
    const index = Number(key);
    return index < value.length ? { key: index, value: value[index] as Json } : undefined;
  }
  if (isObject(value) && Object.hasOwn(value, key)) return { key, value: value[key] as Json };
  return undefined;
}

function pathKey(path: ConfigPath): string {
  return path.map(String).join("\0");
}

function describeType(value: Json): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

/**
 * Resolves every variable in `config` (values only, never keys) the way Serverless v3 does offline:
 * `self`, `opt`, `sls`, `env`, `file`, `aws:region`, `strToBool`, literal and nested fallbacks.
 * `config` is not modified.
 */
export function resolveVariables(config: JsonObject, context: ResolveContext): ResolveResult {
  return new Resolver(config, context).run();
}

class Resolver {
  private readonly root: JsonObject;
  private readonly pending = new Map<string, Pending>();
  private readonly stack: string[] = [];
  private readonly problems: Problem[] = [];
  private readonly files = new Map<string, FileLoadResult>();
  private nodeBudget = MAX_RESOLVED_NODES;
  private readonly serviceDir: string;
  private readonly stageOption: string | undefined;
  private readonly regionOption: string | undefined;

  constructor(
    config: JsonObject,
    private readonly context: ResolveContext,
  ) {
    this.root = structuredClone(config);
    this.serviceDir = resolvePath(context.serviceDir);
    // An empty --stage/--region counts as not given, as in Serverless's sls:stage and aws:region.
    this.stageOption = context.stage || undefined;
    this.regionOption = context.region || undefined;
  }

  run(): ResolveResult {
    this.collect(this.root, []);
    for (const key of [...this.pending.keys()]) this.resolveProperty(key);
    return { config: this.root, problems: this.problems };
  }

  private report(path: ConfigPath, message: string): void {
    this.problems.push({ code: VARIABLE_PROBLEM_CODE, message, path: [...path] });
  }

  private collect(value: Json, path: (string | number)[]): void {
    if (typeof value === "string") {
      if (!value.includes("${")) return;
      try {
        const template = parseTemplate(value);
        if (template.parts.some((part) => typeof part !== "string")) {
          this.pending.set(pathKey(path), { path: [...path], template, state: "pending" });
        }
      } catch (error) {
        this.report(path, `invalid variable syntax: ${(error as Error).message}`);
      }
      return;
    }
    if (Array.isArray(value)) {
      for (const [index, item] of value.entries()) this.collect(item, [...path, index]);
    } else if (isObject(value)) {
      for (const [key, item] of Object.entries(value)) this.collect(item, [...path, key]);
    }
  }

  private setAt(path: ConfigPath, value: Json): void {
    let target: Json = this.root;
    for (const key of path.slice(0, -1)) target = (target as JsonObject)[key as string] as Json;
    setOwn(target as JsonObject, path[path.length - 1] as string | number, value);
  }

  private getAt(path: ConfigPath): Json {
    let target: Json = this.root;
    for (const key of path) target = (target as JsonObject)[key as string] as Json;
    return target;
  }

  /**
   * Resolves the property at `key` in place. Its own failure is reported once, there, and comes back as a
   * "dependency" failure; a cycle or an over-long chain is returned as an error for the requester to report.
   */
  private resolveProperty(key: string): Outcome<void> {
    const entry = this.pending.get(key);
    if (!entry) return ok(undefined);
    if (entry.state === "failed") {
      return fail("dependency", `"${formatPath(entry.path)}" could not be resolved`);
    }
    if (entry.state === "resolving") {
      const chain = [...this.stack.slice(this.stack.indexOf(key)), key].map((k) =>
        formatPath(this.pending.get(k)?.path ?? []),
      );
      return fail("error", `circular reference: ${chain.join(" -> ")}`);
    }
    if (this.stack.length >= MAX_REFERENCE_CHAIN) {
      return fail("error", `more than ${MAX_REFERENCE_CHAIN} properties refer to each other in a chain`);
    }
    entry.state = "resolving";
    this.stack.push(key);
    const outcome = this.resolveTemplate(entry.template, { path: entry.path, depth: 0 });
    this.stack.pop();
    if (outcome.ok) {
      this.setAt(entry.path, outcome.value);
      this.pending.delete(key);
      return ok(undefined);
    }
    entry.state = "failed";
    if (outcome.failure.kind !== "dependency") this.report(entry.path, outcome.failure.message);
    return fail("dependency", `"${formatPath(entry.path)}" could not be resolved`);
  }

  /** A template's value: a lone variable keeps its type, anything else is interpolated into a string. */
  private resolveTemplate(template: Template, scope: Scope): Outcome<Json> {
    const [only] = template.parts;
    if (template.parts.length === 1 && only !== undefined && typeof only !== "string") {
      return this.resolveVariableReporting(only, scope);
    }
    let out = "";
    for (const part of template.parts) {
      if (typeof part === "string") {
        out += part;
        continue;
      }
      const outcome = this.resolveVariableReporting(part, scope);
      if (!outcome.ok) return outcome;
      const value = outcome.value;
      if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") {
        return fail(
          "error",
          `cannot use "${part.text}" inside a string: it resolves to ${describeType(value)}, ` +
            "and only strings, numbers and booleans can be part of a string",
        );
      }
      out += String(value);
      if (out.length > MAX_STRING_LENGTH) {
        return fail("error", `the resolved string is longer than ${MAX_STRING_LENGTH} characters`);
      }
    }
    return ok(out);
  }

  /** Like resolveVariable, but failures name the variable text so nested failures read as a chain. */
  private resolveVariableReporting(variable: VariableRef, scope: Scope): Outcome<Json> {
    const outcome = this.resolveVariable(variable, scope);
    if (outcome.ok || outcome.failure.kind === "dependency") return outcome;
    return fail(outcome.failure.kind, `cannot resolve "${variable.text}": ${outcome.failure.message}`);
  }

  /** Tries each source in turn; null or absent values fall through, errors do not (Serverless v3). */
  private resolveVariable(variable: VariableRef, scope: Scope): Outcome<Json> {
    const reasons: string[] = [];
    for (const source of variable.sources) {
      if (source.kind === "literal") return ok(source.value);
      const outcome =
        source.kind === "variable"
          ? this.resolveVariable(source.variable, scope)
          : this.resolveSource(source.type, source.params, source.address, scope);
      if (!outcome.ok) {
        if (outcome.failure.kind !== "missing") return outcome;
        reasons.push(outcome.failure.message);
        continue;
      }
      if (outcome.value === null) {
        reasons.push(`${describeSource(source)} resolves to null`);
        continue;
      }
      return outcome;
    }
    return fail("missing", [...new Set(reasons)].join("; "));
  }

  /** Resolves the variables of an address or parameter; there a missing value is an error, not a fallback. */
  private resolvePiece(template: Template, scope: Scope): Outcome<Json> {
    const outcome = this.resolveTemplate(template, scope);
    if (!outcome.ok && outcome.failure.kind === "missing") return fail("error", outcome.failure.message);
    return outcome;
  }

  private resolveSource(
    type: string,
    paramTemplates: Template[] | undefined,
    addressTemplate: Template | undefined,
    scope: Scope,
  ): Outcome<Json> {
    const params: Json[] = [];
    for (const template of paramTemplates ?? []) {
      const outcome = this.resolvePiece(template, scope);
      if (!outcome.ok) return outcome;
      params.push(outcome.value);
    }
    let address: string | undefined;
    if (addressTemplate) {
      const outcome = this.resolvePiece(addressTemplate, scope);
      if (!outcome.ok) return outcome;
      const value = outcome.value;
      if (typeof value === "object" && value !== null) {
        return fail("error", `the address of "${type}" resolves to ${describeType(value)}, not a string`);
      }
      address = value === null ? "" : String(value);
    }
    const outcome = this.lookupSource(type, params, address || undefined, scope);
    // file() resolves its content itself, naming the file in failures.
    if (!outcome.ok || outcome.value === null || type === "file") return outcome;
    // Serverless resolves variables that turn up in a resolved value (e.g. an env value holding one).
    return this.resolveEmbedded(outcome.value, scope, `the value of "${type}"`);
  }

  private lookupSource(
    type: string,
    params: Json[],
    address: string | undefined,
    scope: Scope,
  ): Outcome<Json> {
    switch (type) {
      case "self":
        return this.selfSource(address);
      case "opt":
        return this.optSource(address);
      case "env":
        return this.envSource(address);
      case "sls":
        return this.slsSource(address);
      case "aws":
        return this.awsSource(address);
      case "file":
        return this.fileSource(params, address, scope);
      case "strToBool":
        return strToBool(params);
      default:
        if (AWS_SOURCES.has(type)) return needsAws(type);
        return fail(
          "error",
          `unknown variable source "${type}" (offline sources are self, opt, sls, env, file, aws:region and strToBool)`,
        );
    }
  }

  private selfSource(address: string | undefined): Outcome<Json> {
    const keys = address ? address.split(".") : [];
    const outcome = this.lookup(keys);
    if (!outcome.ok) return outcome;
    if (outcome.value === undefined || outcome.value === null) {
      return fail("missing", `no value at "${address}" in the configuration`);
    }
    return outcome as Outcome<Json>;
  }

  private optSource(address: string | undefined): Outcome<Json> {
    const options: JsonObject = {};
    if (this.stageOption !== undefined) options.stage = this.stageOption;
    if (this.regionOption !== undefined) options.region = this.regionOption;
    if (address === undefined) return ok(options);
    const value = Object.hasOwn(options, address) ? options[address] : undefined;
    if (value === undefined) {
      const known = address === "stage" || address === "region";
      return fail(
        "missing",
        known
          ? `option --${address} was not given`
          : `option --${address} was not given (only --stage and --region reach the compiler)`,
      );
    }
    return ok(value);
  }

  private envSource(address: string | undefined): Outcome<Json> {
    if (!address) return fail("error", 'missing environment variable name in "env" source');
    const value = Object.hasOwn(this.context.env, address) ? this.context.env[address] : undefined;
    // Serverless reads `process.env[name] || null`: an empty variable counts as unset.
    if (!value) return fail("missing", `environment variable ${address} is not set`);
    return ok(value);
  }

  private slsSource(address: string | undefined): Outcome<Json> {
    if (address === "stage") return this.stage();
    if (address === "instanceId") return needsAws("sls:instanceId", " (not supported)");
    return fail("error", `unsupported address "${address ?? ""}" in "sls" source (offline: sls:stage)`);
  }

  private awsSource(address: string | undefined): Outcome<Json> {
    if (address === "region") return this.region();
    if (address === "accountId") return needsAws("aws:accountId");
    return fail("error", `unsupported address "${address ?? ""}" in "aws" source (offline: aws:region)`);
  }

  /** Flag, then `provider.stage` (itself possibly a variable), then "dev". */
  private stage(): Outcome<Json> {
    if (this.stageOption !== undefined) return ok(this.stageOption);
    const outcome = this.lookup(["provider", "stage"]);
    if (!outcome.ok) return outcome;
    return ok(outcome.value || "dev");
  }

  private region(): Outcome<Json> {
    if (this.regionOption !== undefined) return ok(this.regionOption);
    const outcome = this.lookup(["provider", "region"]);
    if (!outcome.ok) return outcome;
    return ok(outcome.value || "us-east-1");
  }

  private fileSource(params: Json[], address: string | undefined, scope: Scope): Outcome<Json> {
    const [target] = params;
    if (target === undefined || target === null || target === "") {
      return fail("error", 'missing path in "file" source, e.g. file(./config.yml)');
    }
    if (typeof target !== "string") {
      return fail("error", `the path of "file" source resolves to ${describeType(target)}, not a string`);
    }
    const absolute = resolvePath(this.serviceDir, target);
    if (!isInside(this.serviceDir, absolute)) {
      return fail("error", `cannot load "${target}": files must be inside the service directory`);
    }
    const label = relative(this.serviceDir, absolute).split(sep).join("/");
    if (/\.(c|m)?[jt]s$/.test(absolute)) {
      return fail("error", `cannot load "${label}": only .yml, .yaml and .json files are supported offline`);
    }
    let loaded = this.files.get(absolute);
    if (!loaded) {
      loaded = this.context.loadFile(absolute);
      this.files.set(absolute, loaded);
    }
    if (loaded.status === "missing") return fail("missing", `file ${label} does not exist`);
    if (loaded.status === "error") return fail("error", loaded.message);
    let value: Json | undefined = loaded.value;
    if (address) {
      for (const key of address.split(".")) {
        value = childOf(value, key)?.value;
        if (value === undefined || value === null) {
          return fail("missing", `no value at "${address}" in ${label}`);
        }
      }
    }
    const copy = this.copy(value);
    if (!copy.ok) return copy;
    return this.resolveEmbedded(copy.value, scope, label, address);
  }

  /**
   * Follows `keys` through the configuration as `${self:}` sees it: every variable on the way, and every
   * variable inside the value found, is resolved first. Returns a copy (undefined when nothing is there).
   */
  private lookup(keys: readonly string[]): Outcome<Json | undefined> {
    const path: (string | number)[] = [];
    let current: Json = this.root;
    for (const key of keys) {
      const settled = this.resolveProperty(pathKey(path));
      if (!settled.ok) return settled;
      current = this.getAt(path);
      const child = childOf(current, key);
      if (!child) return ok(undefined);
      path.push(child.key);
    }
    const settled = this.resolveProperty(pathKey(path));
    if (!settled.ok) return settled;
    current = this.getAt(path);
    if (typeof current === "object" && current !== null) {
      const prefix = path.length === 0 ? "" : `${pathKey(path)}\0`;
      for (const key of [...this.pending.keys()]) {
        if (!key.startsWith(prefix)) continue;
        const outcome = this.resolveProperty(key);
        if (!outcome.ok) return outcome;
      }
      current = this.getAt(path);
    }
    return this.copy(current);
  }

  /** A fresh copy, charged to the budget that keeps self-multiplying configurations finite. */
  private copy(value: Json): Outcome<Json> {
    const count = countNodes(value, this.nodeBudget + 1);
    this.nodeBudget -= count;
    if (this.nodeBudget < 0) {
      return fail(
        "error",
        `variables expand the configuration beyond ${MAX_RESOLVED_NODES} values (self-references that multiply?)`,
      );
    }
    return ok(structuredClone(value));
  }

  /** Resolves variables found inside a value that a variable resolved to (owned by the caller, mutated). */
  private resolveEmbedded(value: Json, scope: Scope, label: string, base?: string): Outcome<Json> {
    if (!containsVariableText(value)) return ok(value);
    const inner: Scope = { path: scope.path, depth: scope.depth + 1 };
    if (inner.depth > MAX_VALUE_NESTING) {
      return fail(
        "error",
        `values resolve to values holding variables more than ${MAX_VALUE_NESTING} levels deep (circular file() or env reference?)`,
      );
    }
    const walk = (node: Json, at: (string | number)[]): Outcome<Json> => {
      if (typeof node === "string") {
        if (!node.includes("${")) return ok(node);
        const full = [...(base ? base.split(".") : []), ...at];
        const where = full.length > 0 ? `in ${label} at ${formatPath(full)}` : `in ${label}`;
        let template: Template;
        try {
          template = parseTemplate(node);
        } catch (error) {
          return fail("error", `invalid variable syntax ${where}: ${(error as Error).message}`);
        }
        if (!template.parts.some((part) => typeof part !== "string")) return ok(node);
        const outcome = this.resolveTemplate(template, inner);
        if (outcome.ok || outcome.failure.kind === "dependency") return outcome;
        // The enclosing variable already has its value, so its fallbacks no longer apply.
        return fail("error", `${outcome.failure.message} (${where})`);
      }
      if (Array.isArray(node)) {
        for (let index = 0; index < node.length; index++) {
          const outcome = walk(node[index] as Json, [...at, index]);
          if (!outcome.ok) return outcome;
          node[index] = outcome.value;
        }
        return ok(node);
      }
      if (isObject(node)) {
        for (const key of Object.keys(node)) {
          const outcome = walk(node[key] as Json, [...at, key]);
          if (!outcome.ok) return outcome;
          setOwn(node, key, outcome.value);
        }
      }
      return ok(node);
    };
    return walk(value, []);
  }
}

function describeSource(source: VariableSource): string {
  if (source.kind === "variable") return `"${source.variable.text}"`;
  if (source.kind === "literal") return "the literal";
  return `"${source.type}" source`;
}

function needsAws(name: string, suffix = ""): Outcome<never> {
  return fail("error", `Variable source "${name}" needs AWS and cannot be resolved offline${suffix}`);
}

function strToBool(params: Json[]): Outcome<Json> {
  const [input] = params;
  if (input === undefined || input === null) return fail("error", 'missing input in "strToBool" source');
  const text = String(input).trim().toLowerCase();
  if (text === "true" || text === "1") return ok(true);
  if (text === "false" || text === "0") return ok(false);
  return fail("error", `invalid "strToBool" input "${String(input)}": expected true, false, 1 or 0`);
}

function containsVariableText(value: Json): boolean {
  if (typeof value === "string") return value.includes("${");
  if (Array.isArray(value)) return value.some(containsVariableText);
  if (isObject(value)) return Object.values(value).some(containsVariableText);
  return false;
}

function countNodes(value: Json, limit: number): number {
  let count = 0;
  const stack: Json[] = [value];
  while (stack.length > 0 && count < limit) {
    const node = stack.pop() as Json;
    count++;
    if (Array.isArray(node)) for (const item of node) stack.push(item);
    else if (isObject(node)) for (const item of Object.values(node)) stack.push(item);
  }
  return count;
}

function isInside(dir: string, candidate: string): boolean {
  const rel = relative(dir, candidate);
  return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel);
}
