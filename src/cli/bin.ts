#!/usr/bin/env node
// Process entry of the `cognito-triggers` binary: real stdout, stderr, cwd, environment and clock.
import { systemClock } from "../shared/clock.js";
import { main } from "./main.js";

// The AWS SDK warns once per process that its 2027 releases need Node 22; the CLI's own SDK clients
// would print it before every command's output. Users who want it can set the variable to "false".
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const code = await main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  cwd: process.cwd(),
  env: process.env,
  clock: systemClock,
});
process.exitCode = code;
