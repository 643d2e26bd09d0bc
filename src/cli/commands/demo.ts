// `cognito-triggers demo` (what `npm start` runs): the example stack, its workflows and the user sync, then tear down.
import { runDemo } from "../../workflows/demo.js";
import { type CliIo, EXIT_FAILURE, EXIT_OK } from "../io.js";
import { parseOrExit } from "./options.js";

export const DEMO_USAGE = `Usage: cognito-triggers demo

Starts the example service (examples/user-pools-and-triggers) on a temporary data dir with its User
Service, runs the auto-confirm, migrate-user and activity-log workflows with every question answered
by its default (as "workflow --yes" does; each section shows only what its scenario caused), a sign-up
whose user sync succeeds and one whose sync fails and is replayed, prints the walkthrough with the
handlers' logs, deletes the stack and exits.
`;

export async function demoCommand(argv: string[], io: CliIo): Promise<number> {
  const values = parseOrExit(argv, {}, DEMO_USAGE, io);
  if (typeof values === "number") return values;
  try {
    await runDemo({ env: io.env, say: (text) => io.stdout(`${text}\n`) });
    io.stdout("\nDemo finished: every workflow ran against the local stack.\n");
    return EXIT_OK;
  } catch (error) {
    io.stderr(`error: ${(error as Error).stack ?? error}\n`);
    return EXIT_FAILURE;
  }
}
