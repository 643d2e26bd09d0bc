// Test runner configuration: unit tests beside the code, integration and golden tests under test/.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    environment: "node",
    testTimeout: 60_000,
    reporters: ["default", "./test/helpers/summary-reporter.ts"],
    // One throwaway PostgreSQL cluster per run (skipped when POSTGRES_URL is given, as .ci/run does).
    globalSetup: ["./test/helpers/postgres-global.ts"],
  },
});
