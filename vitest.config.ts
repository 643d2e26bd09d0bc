// Test runner configuration: unit tests beside the code, integration and golden tests under test/.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // The reliability suite has its own run (`npm run test:reliability`, files one at a time).
    exclude: ["**/node_modules/**", "test/reliability/**"],
    environment: "node",
    testTimeout: 60_000,
    reporters: ["default", "./test/helpers/summary-reporter.ts"],
    // One throwaway PostgreSQL cluster per run (skipped when POSTGRES_URL is given, as .ci/run does).
    globalSetup: ["./test/helpers/postgres-global.ts"],
  },
});
