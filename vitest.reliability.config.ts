// Reliability suite (`npm run test:reliability`): faults, bad input, concurrency, security and a bounded soak.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/reliability/**/*.test.ts"],
    environment: "node",
    testTimeout: 180_000,
    hookTimeout: 120_000,
    // The soak and crash tests measure the server; running files side by side would measure each other.
    fileParallelism: false,
    reporters: ["default", "./test/helpers/summary-reporter.ts"],
    globalSetup: ["./test/helpers/postgres-global.ts"],
  },
});
