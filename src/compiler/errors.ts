// Compiler problems: every problem carries its YAML path and source position, and all are reported together.

/** 1-based line and column of a node in the configuration file. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

/** A path into the configuration: keys and array indexes, e.g. ["functions","a","events",0]. */
export type ConfigPath = readonly (string | number)[];

export interface Problem {
  /** Serverless's error code where one exists, otherwise ours. */
  code: string;
  message: string;
  path: ConfigPath;
  location?: SourceLocation | undefined;
}

/** Renders a path as `functions.preSignUp.events[0].cognitoUserPool.trigger`. */
export function formatPath(path: ConfigPath): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? part : `.${part}`;
  }
  return out;
}

export function formatProblem(problem: Problem): string {
  const where = problem.location
    ? `${problem.location.file}:${problem.location.line}:${problem.location.column}`
    : undefined;
  const path = problem.path.length > 0 ? formatPath(problem.path) : "(root)";
  return `${where ? `${where} ` : ""}${path}: ${problem.message} [${problem.code}]`;
}

/** Thrown once with every problem found; nothing is written when it is thrown. */
export class CompileError extends Error {
  readonly problems: readonly Problem[];

  constructor(problems: readonly Problem[]) {
    const first = problems[0];
    super(
      problems.length === 1 && first
        ? first.message
        : `${problems.length} problems in the configuration:\n${problems.map(formatProblem).join("\n")}`,
    );
    this.name = "CompileError";
    this.problems = problems;
  }

  /** The Serverless error code of the first problem (for callers that expect a single code). */
  get code(): string {
    return this.problems[0]?.code ?? "CONFIGURATION_ERROR";
  }
}

/** Collects problems while a pass goes on, locating each one in the source as it is added. */
export class ProblemList {
  readonly items: Problem[] = [];

  constructor(private readonly locate: (path: ConfigPath) => SourceLocation | undefined = () => undefined) {}

  add(code: string, message: string, path: ConfigPath): void {
    this.items.push({ code, message, path, location: this.locate(path) });
  }

  get empty(): boolean {
    return this.items.length === 0;
  }

  throwIfAny(): void {
    if (this.items.length > 0) throw new CompileError(this.items);
  }
}
