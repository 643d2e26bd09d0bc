#!/usr/bin/env node
// Process entry of the `cognito-triggers` binary: real stdout, stderr, cwd, environment and clock.
import { systemClock } from "../shared/clock.js";
import { main } from "./main.js";

const code = await main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  cwd: process.cwd(),
  env: process.env,
  clock: systemClock,
});
process.exitCode = code;
