// `up --watch` reload: a handler edit gives every local function a new code version, so workers retire.
import { describe, expect, it } from "vitest";
import { createMutableRegistry, createRegistry } from "../../lambda/registry.js";
import { reloadHandlers } from "./up.js";

const definition = {
  name: "svc-dev-fn",
  arn: "arn:aws:lambda:us-east-1:000000000000:function:svc-dev-fn",
  modulePath: "/srv/handler.mjs",
  exportName: "handler",
  cwd: "/srv",
  runtime: "nodejs22.x",
  timeout: 6,
  memorySize: 256,
  environment: {},
};

describe("reloadHandlers", () => {
  it("re-puts every function with the new code version", () => {
    const registry = createMutableRegistry([definition]);
    reloadHandlers(registry, "3");
    expect(registry.resolve("svc-dev-fn")?.codeVersion).toBe("3");
    reloadHandlers(registry, "4");
    expect(registry.list().map((d) => d.codeVersion)).toEqual(["4"]);
  });

  it("leaves a fixed registry alone", () => {
    const registry = createRegistry([definition]);
    reloadHandlers(registry, "1");
    expect(registry.resolve("svc-dev-fn")?.codeVersion).toBeUndefined();
  });
});
