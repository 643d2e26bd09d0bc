// Prints compiler problems and warnings one per line, each with file:line:column and YAML path.
import { CompileError, formatProblem, type Problem } from "../compiler/errors.js";
import { type CliIo, EXIT_FAILURE, EXIT_USAGE } from "./io.js";

export function printWarnings(io: CliIo, warnings: readonly Problem[]): void {
  for (const warning of warnings) io.stderr(`warning: ${formatProblem(warning)}\n`);
}

/** Configuration problems exit 2 with every problem listed; anything else is a failure (1). */
export function reportError(io: CliIo, error: unknown): number {
  if (error instanceof CompileError) {
    const count = error.problems.length;
    io.stderr(
      `error: ${count} problem${count === 1 ? "" : "s"} in the configuration; nothing was written.\n`,
    );
    for (const problem of error.problems) io.stderr(`  ${formatProblem(problem)}\n`);
    return EXIT_USAGE;
  }
  io.stderr(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  return EXIT_FAILURE;
}
