// Reads serverless.yml/.yaml/.json into a LoadedService: the only place YAML is parsed, variables resolved.
import { readFileSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { dirname, extname, isAbsolute, relative, resolve } from "node:path";
import type { Document } from "yaml";
import { LineCounter, parseDocument } from "yaml";
import { expandCfnTags } from "./cfn-tags.js";
import type { ConfigPath, Problem } from "./errors.js";
import { CompileError } from "./errors.js";
import { fastParse } from "./fast-yaml.js";
import type { Json, JsonObject, LoadedService, LoadOptions } from "./service-model.js";
import { createLocator, type Locate } from "./source-map.js";
import { type FileLoadResult, resolveVariables } from "./variables.js";

export const CONFIG_FILE_NAMES = ["serverless.yml", "serverless.yaml", "serverless.json"] as const;
const SCRIPT_CONFIG_NAMES = ["serverless.js", "serverless.ts", "serverless.mjs", "serverless.cjs"];
const SUPPORTED_EXTENSIONS = new Set([".yml", ".yaml", ".json"]);

/** yaml's default: an alias-expansion bomb fails in milliseconds instead of exhausting memory. */
export const MAX_ALIAS_COUNT = 100;

export async function loadService(options: LoadOptions): Promise<LoadedService> {
  const cwd = resolve(options.cwd);
  const configPath = await findConfig(options.configPath, cwd);
  const serviceDir = dirname(configPath);
  const file = displayName(cwd, configPath);
  const text = await readConfig(configPath, file);

  const parsed = parseQuickly(text) ?? parseYaml(text, file);
  const locate = lazyLocator(parsed, text, file);
  const problems: Problem[] = [...parsed.problems];
  if (parsed.value === undefined) throw new CompileError(withLocations(problems, locate));
  if (!isPlainObject(parsed.value)) {
    problems.push({
      code: "INVALID_CONFIGURATION",
      message: `${file} must contain a mapping of service settings, not ${parsed.value === null ? "nothing" : Array.isArray(parsed.value) ? "a list" : "a single value"}`,
      path: [],
    });
    throw new CompileError(withLocations(problems, locate));
  }

  const resolved = resolveVariables(parsed.value, {
    serviceDir,
    stage: options.stage,
    region: options.region,
    env: options.env,
    loadFile: (absolutePath) => loadIncludedFile(absolutePath, serviceDir),
  });
  problems.push(...resolved.problems);
  const config = resolved.config;

  const stage = pickSetting(options.stage, config, "stage", "dev", problems);
  const region = pickSetting(options.region, config, "region", "us-east-1", problems);

  if (problems.length > 0) throw new CompileError(withLocations(problems, locate));
  return { configPath, serviceDir, config, stage, region, locate };
}

async function findConfig(requested: string | undefined, cwd: string): Promise<string> {
  if (requested !== undefined && requested !== "") {
    const path = resolve(cwd, requested);
    const extension = extname(path).toLowerCase();
    if (!SUPPORTED_EXTENSIONS.has(extension)) {
      throw notSupported(`${requested}: only .yml, .yaml and .json configuration files are supported`);
    }
    if (!(await isFile(path))) {
      throw new CompileError([
        {
          code: "CONFIG_NOT_FOUND",
          message: `configuration file ${requested} not found (looked at ${path})`,
          path: [],
        },
      ]);
    }
    return path;
  }
  for (const name of CONFIG_FILE_NAMES) {
    const path = resolve(cwd, name);
    if (await isFile(path)) return path;
  }
  for (const name of SCRIPT_CONFIG_NAMES) {
    if (await isFile(resolve(cwd, name))) {
      throw notSupported(
        `${name} found in ${cwd}, but only serverless.yml, serverless.yaml and serverless.json are supported`,
      );
    }
  }
  throw new CompileError([
    {
      code: "CONFIG_NOT_FOUND",
      message: `no serverless.yml, serverless.yaml or serverless.json in ${cwd}`,
      path: [],
    },
  ]);
}

function notSupported(message: string): CompileError {
  return new CompileError([{ code: "CONFIG_FORMAT_NOT_SUPPORTED", message, path: [] }]);
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

async function readConfig(path: string, file: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    throw new CompileError([
      { code: "CONFIG_NOT_READABLE", message: `cannot read ${file}: ${(error as Error).message}`, path: [] },
    ]);
  }
}

/** Locations name the file as the user would type it: relative to cwd when inside it. */
function displayName(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel === "" || rel.startsWith("..") || isAbsolute(rel) ? path : rel;
}

interface ParsedYaml {
  /** Absent after the quick parse: positions are then computed on first use. */
  doc?: Document | undefined;
  lineCounter?: LineCounter | undefined;
  /** Undefined when the text could not be turned into a value at all. */
  value: Json | undefined;
  problems: Problem[];
}

/** Plain-JSON nodes a quick parse may expand to; past it (an alias bomb) the positional parser takes over. */
const QUICK_NODE_BUDGET = 2_000_000;

/**
 * Most files are well formed: parse them with the fast parser and look positions up only when a
 * problem or warning needs one. Anything unusual goes to the positional parser.
 */
export function parseQuickly(text: string): ParsedYaml | undefined {
  const quick = fastParse(text);
  if (!quick) return undefined;
  const problems: Problem[] = [];
  const budget = { left: QUICK_NODE_BUDGET };
  const value = toPlainJson(quick.value, [], problems, budget);
  if (problems.length > 0 || budget.left < 0) return undefined;
  return { value, problems };
}

function lazyLocator(parsed: ParsedYaml, text: string, file: string): Locate {
  let locate: Locate | undefined;
  return (path) => {
    if (!locate) {
      const { doc, lineCounter } = parsed.doc && parsed.lineCounter ? parsed : parseYaml(text, file);
      locate = createLocator(doc as Document, lineCounter as LineCounter, file);
    }
    return locate(path);
  };
}

/** Parses YAML (or JSON, which is YAML) with positions, CloudFormation tags and the alias limit. */
export function parseYaml(text: string, file: string): ParsedYaml {
  const lineCounter = new LineCounter();
  // js-yaml, which Serverless uses, honours `<<` merge keys; yaml only does when asked.
  const doc = parseDocument(text, { lineCounter, merge: true, prettyErrors: false });
  const problems: Problem[] = doc.errors.map((error) => {
    const { line, col } = lineCounter.linePos(error.pos[0]);
    const position = line === 0 ? { line: 1, column: col + 1 } : { line, column: col };
    return {
      code: "YAML_PARSE_ERROR",
      message: `YAML syntax error at line ${position.line}, column ${position.column}: ${error.message}`,
      path: [],
      location: { file, ...position },
    };
  });
  if (problems.length > 0) return { doc, lineCounter, value: undefined, problems };

  problems.push(...expandCfnTags(doc));
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    const message = (error as Error).message;
    problems.push({
      code: "YAML_PARSE_ERROR",
      message: /alias/i.test(message)
        ? `${message} (more than ${MAX_ALIAS_COUNT} alias expansions); reduce the use of YAML anchors and aliases`
        : message,
      path: [],
    });
    return { doc, lineCounter, value: undefined, problems };
  }
  return { doc, lineCounter, value: toPlainJson(raw, [], problems), problems };
}

/** A fresh plain-JSON copy of yaml's output (aliases there share objects; dates, NaN etc. are not JSON). */
export function toPlainJson(
  value: unknown,
  path: (string | number)[],
  problems: Problem[],
  budget: { left: number } = { left: Number.POSITIVE_INFINITY },
): Json {
  if (--budget.left < 0) return null;
  if (value === null || value === undefined) return null;
  if (typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") {
    if (Number.isFinite(value)) return value;
    problems.push({ code: "YAML_PARSE_ERROR", message: `${value} is not a JSON number`, path: [...path] });
    return null;
  }
  if (typeof value === "bigint") return Number(value);
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value))
    return value.map((item, index) => toPlainJson(item, [...path, index], problems, budget));
  if (isPlainObject(value)) {
    const out: JsonObject = {};
    for (const [key, item] of Object.entries(value)) {
      Object.defineProperty(out, key, {
        value: toPlainJson(item, [...path, key], problems, budget),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  problems.push({
    code: "YAML_PARSE_ERROR",
    message: `values of type ${Object.prototype.toString.call(value).slice(8, -1)} are not supported in the configuration`,
    path: [...path],
  });
  return null;
}

function isPlainObject(value: unknown): value is JsonObject {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** `${file(...)}` targets: parsed the same way as the main file, problems folded into one message. */
function loadIncludedFile(absolutePath: string, serviceDir: string): FileLoadResult {
  const label = relative(serviceDir, absolutePath).split("\\").join("/");
  let text: string;
  try {
    text = readFileSync(absolutePath, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { status: "missing" };
    return { status: "error", message: `cannot read ${label}: ${(error as Error).message}` };
  }
  const extension = extname(absolutePath).toLowerCase();
  if (extension === ".json") {
    // Serverless reads included JSON with JSON.parse, so YAML-only syntax is an error there.
    try {
      return { status: "ok", value: toPlainJson(JSON.parse(text), [], []) };
    } catch (error) {
      return { status: "error", message: `cannot parse ${label}: ${(error as Error).message}` };
    }
  }
  if (extension !== ".yml" && extension !== ".yaml") {
    // Serverless hands any other file over as plain text.
    return { status: "ok", value: text };
  }
  const parsed = parseYaml(text, label);
  if (parsed.problems.length > 0 || parsed.value === undefined) {
    const locate = createLocator(parsed.doc as Document, parsed.lineCounter as LineCounter, label);
    const details = withLocations(parsed.problems, locate).map((problem) => {
      const where = problem.location ? `${problem.location.line}:${problem.location.column} ` : "";
      return `${where}${problem.message}`;
    });
    return { status: "error", message: `cannot parse ${label}: ${details.join("; ")}` };
  }
  return { status: "ok", value: parsed.value };
}

/** Stage and region: flag, then the (resolved) provider setting, then Serverless's default. */
function pickSetting(
  option: string | undefined,
  config: JsonObject,
  key: "stage" | "region",
  fallback: string,
  problems: Problem[],
): string {
  if (option) return option;
  const provider = config.provider;
  const value = isPlainObject(provider) ? provider[key] : undefined;
  if (value === undefined || value === null || value === "") return fallback;
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  problems.push({
    code: "INVALID_CONFIGURATION",
    message: `provider.${key} must be a string`,
    path: ["provider", key] satisfies ConfigPath,
  });
  return fallback;
}

/** Fills in locations and orders problems as they appear in the file. */
function withLocations(problems: readonly Problem[], locate: Locate): Problem[] {
  const located = problems.map((problem) => ({
    ...problem,
    location: problem.location ?? locate(problem.path),
  }));
  return located
    .map((problem, index) => ({ problem, index }))
    .sort((a, b) => {
      const la = a.problem.location;
      const lb = b.problem.location;
      if (la && lb && (la.line !== lb.line || la.column !== lb.column)) {
        return la.line - lb.line || la.column - lb.column;
      }
      if (la && !lb) return -1;
      if (!la && lb) return 1;
      return a.index - b.index;
    })
    .map(({ problem }) => problem);
}
