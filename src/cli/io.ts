// What a command may touch of the outside world, injected so commands run the same in tests and in a process.
import type { Clock } from "../shared/clock.js";

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  clock: Clock;
}

/** Exit codes: 0 success, 1 failure while running, 2 bad usage or invalid configuration. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
