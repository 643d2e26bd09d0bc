// The deploy engine against fake handlers: intrinsics, ordering, conditions, updates, replacement, down.
import { describe, expect, it } from "vitest";
import type { RunningServer } from "../edge/create-server.js";
import { applyTemplate, type CfnTemplate, destroyStack, type StackContext } from "./apply-template.js";
import { memoryStateStore, type StackState } from "./state.js";
import type { ResourceHandler, ResourceHandlers } from "./types.js";

interface Call {
  op: "create" | "update" | "delete" | "restore";
  logicalId: string;
  properties: Record<string, unknown>;
}

function fakes(options: { replaceOn?: string } = {}) {
  const calls: Call[] = [];
  let next = 0;
  const handler = (type: string): ResourceHandler => ({
    async create(properties, ctx) {
      calls.push({ op: "create", logicalId: ctx.logicalId, properties });
      if (properties.Fail) throw new Error("boom");
      const id = `${type.split("::")[2]?.toLowerCase()}-${++next}`;
      return { physicalId: id, attributes: { Arn: `arn:fake:${id}`, Name: properties.Name } };
    },
    async update(physicalId, properties, _previous, ctx) {
      calls.push({ op: "update", logicalId: ctx.logicalId, properties });
      const replace =
        options.replaceOn !== undefined && properties[options.replaceOn] !== _previous[options.replaceOn];
      const id = replace ? `${physicalId}-r${++next}` : physicalId;
      return { physicalId: id, attributes: { Arn: `arn:fake:${id}`, Name: properties.Name } };
    },
    async delete(_physicalId, properties, ctx) {
      calls.push({ op: "delete", logicalId: ctx.logicalId, properties });
    },
    async restore(_physicalId, properties, ctx) {
      calls.push({ op: "restore", logicalId: ctx.logicalId, properties });
    },
  });
  const handlers: ResourceHandlers = { "Test::Fake::Thing": handler("Test::Fake::Thing") };
  const warnings: string[] = [];
  const ctx: StackContext = {
    server: {} as RunningServer,
    stackName: "svc-dev",
    region: "eu-west-1",
    accountId: "000000000000",
    serviceDir: "/tmp",
    warn: (m) => warnings.push(m),
  };
  return { calls, handlers, ctx, warnings };
}

const thing = (Properties: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
  Type: "Test::Fake::Thing",
  Properties,
  ...extra,
});

async function apply(template: CfnTemplate, env = fakes(), state?: StackState) {
  const result = await applyTemplate(template, { handlers: env.handlers, ctx: env.ctx, state });
  return { ...result, env };
}

describe("intrinsics", () => {
  it("evaluates Ref, GetAtt (both forms), Sub (both forms), Join, Select, Split, Base64, GetAZs, pseudo parameters", async () => {
    const { state } = await apply({
      Parameters: {
        Env: { Type: "String", Default: "dev" },
        Zones: { Type: "CommaDelimitedList", Default: "a, b" },
      },
      Resources: {
        A: thing({ Name: "alpha" }),
        B: thing({
          Ref: { Ref: "A" },
          Att1: { "Fn::GetAtt": ["A", "Arn"] },
          Att2: { "Fn::GetAtt": "A.Name" },
          Sub1: { "Fn::Sub": "${AWS::StackName}/${A}/${A.Name}/${Env}/${!Literal}" },
          Sub2: { "Fn::Sub": ["${X}-${AWS::Region}", { X: { Ref: "A" } }] },
          Join: { "Fn::Join": ["-", ["x", { Ref: "Env" }, { Ref: "AWS::AccountId" }]] },
          Select: { "Fn::Select": [1, { "Fn::Split": [",", "p,q,r"] }] },
          Zones: { Ref: "Zones" },
          Azs: { "Fn::GetAZs": "" },
          Az0: { "Fn::Select": [0, { "Fn::GetAZs": { Ref: "AWS::Region" } }] },
          B64: { "Fn::Base64": "hi" },
          Partition: { "Fn::Sub": "${AWS::Partition}.${AWS::URLSuffix}" },
          Gone: { Ref: "AWS::NoValue" },
          List: ["keep", { Ref: "AWS::NoValue" }],
        }),
      },
    });
    const props = state.resources.B?.properties;
    expect(props).toEqual({
      Ref: "thing-1",
      Att1: "arn:fake:thing-1",
      Att2: "alpha",
      Sub1: "svc-dev/thing-1/alpha/dev/${Literal}",
      Sub2: "thing-1-eu-west-1",
      Join: "x-dev-000000000000",
      Select: "q",
      Zones: ["a", "b"],
      Azs: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
      Az0: "eu-west-1a",
      B64: "aGk=",
      Partition: "aws.amazonaws.com",
      List: ["keep"],
    });
  });

  it("evaluates conditions (Equals/And/Or/Not, Condition references), Fn::If and conditional resources", async () => {
    const { state, env } = await apply({
      Parameters: { Stage: { Type: "String", Default: "prod" } },
      Conditions: {
        IsProd: { "Fn::Equals": [{ Ref: "Stage" }, "prod"] },
        IsDev: { "Fn::Not": [{ Condition: "IsProd" }] },
        Both: { "Fn::And": [{ Condition: "IsProd" }, { "Fn::Equals": ["a", "a"] }] },
        Either: { "Fn::Or": [{ Condition: "IsDev" }, { Condition: "IsDev" }] },
      },
      Resources: {
        DevOnly: thing({}, { Condition: "IsDev" }),
        Main: thing({
          Chosen: { "Fn::If": ["IsProd", "big", { Ref: "DevOnly" }] },
          Both: { "Fn::If": ["Both", true, false] },
          Either: { "Fn::If": ["Either", "yes", { Ref: "AWS::NoValue" }] },
        }),
      },
      Outputs: {
        Dev: { Value: { Ref: "DevOnly" }, Condition: "IsDev" },
        Main: { Value: { Ref: "Main" }, Export: { Name: { "Fn::Sub": "${AWS::StackName}-Main" } } },
      },
    });
    expect(state.resources.DevOnly).toBeUndefined();
    expect(state.resources.Main?.properties).toEqual({ Chosen: "big", Both: true });
    expect(state.outputs).toEqual({ Main: { value: "thing-1", exportName: "svc-dev-Main" } });
    expect(env.calls.map((c) => c.logicalId)).toEqual(["Main"]);
  });

  it("Fn::ImportValue is a clear error naming the resource", async () => {
    await expect(
      apply({ Resources: { A: thing({ V: { "Fn::ImportValue": "other-stack-Out" } }) } }),
    ).rejects.toThrow(/^A: Fn::ImportValue "other-stack-Out" cannot be resolved locally/);
  });

  it("unknown references are a template error; unknown attributes name the resource", async () => {
    await expect(apply({ Resources: { A: thing({ V: { Ref: "Nope" } }) } })).rejects.toThrow(
      /Unresolved resource dependencies \[Nope\]/,
    );
    await expect(
      apply({ Resources: { A: thing(), B: thing({ V: { "Fn::GetAtt": ["A", "Missing"] } }) } }),
    ).rejects.toThrow(/^B: Fn::GetAtt A.Missing: Test::Fake::Thing has no attribute Missing/);
  });
});

describe("ordering", () => {
  it("creates dependencies first (DependsOn and implicit references) and reports cycles", async () => {
    const { env } = await apply({
      Resources: {
        C: thing({ V: { "Fn::Sub": "${B.Arn}" } }),
        B: thing({ V: { Ref: "A" } }),
        D: thing({}, { DependsOn: ["C"] }),
        A: thing({}, { DependsOn: "E" }),
        E: thing(),
      },
    });
    expect(env.calls.map((c) => c.logicalId)).toEqual(["E", "A", "B", "C", "D"]);
    await expect(
      apply({ Resources: { A: thing({ V: { Ref: "B" } }), B: thing({}, { DependsOn: "A" }) } }),
    ).rejects.toThrow("Circular dependency between resources: A -> B -> A");
  });
});

describe("unsupported types", () => {
  it("are skipped with a warning; a Ref to one fails only when used", async () => {
    const { state, summary } = await apply({
      Conditions: { No: { "Fn::Equals": ["a", "b"] } },
      Resources: {
        Topic: { Type: "AWS::SNS::Topic", Properties: {} },
        A: thing({ V: { "Fn::If": ["No", { Ref: "Topic" }, "none"] } }),
      },
      Outputs: { TopicArn: { Value: { Ref: "Topic" } }, A: { Value: { Ref: "A" } } },
    });
    expect(summary.skipped).toEqual([
      { logicalId: "Topic", type: "AWS::SNS::Topic", reason: "not supported locally, skipped" },
    ]);
    expect(summary.warnings[0]).toBe("Topic (AWS::SNS::Topic) is not supported locally, skipped");
    expect(summary.warnings[1]).toMatch(/output TopicArn skipped/);
    expect(state.outputs).toEqual({ A: { value: "thing-1" } });
    await expect(
      apply({ Resources: { Topic: { Type: "AWS::SNS::Topic" }, A: thing({ V: { Ref: "Topic" } }) } }),
    ).rejects.toThrow("A: Topic (AWS::SNS::Topic) is not supported locally, skipped");
  });
});

describe("updates", () => {
  const base: CfnTemplate = {
    Resources: {
      A: thing({ Name: "a" }),
      B: thing({ Name: "b", Of: { Ref: "A" } }),
      C: thing({ Name: "c" }),
    },
  };

  it("creates new, updates changed, deletes removed (dependents first), restores unchanged", async () => {
    const first = await apply(base);
    const env = fakes();
    const { summary, state } = await apply(
      {
        Resources: { A: thing({ Name: "a2" }), C: thing({ Name: "c" }), D: thing({ Name: "d" }) },
      },
      env,
      first.state,
    );
    expect(summary.created).toEqual(["D"]);
    expect(summary.updated).toEqual(["A"]);
    expect(summary.unchanged).toEqual(["C"]);
    expect(summary.deleted).toEqual(["B"]);
    expect(env.calls.map((c) => `${c.op} ${c.logicalId}`)).toEqual([
      "update A",
      "restore C",
      "create D",
      "delete B",
    ]);
    expect(state.resources.A?.physicalId).toBe("thing-1");
    expect(Object.keys(state.resources).sort()).toEqual(["A", "C", "D"]);
  });

  it("deletes removed resources in reverse dependency order", async () => {
    const first = await apply(base);
    const env = fakes();
    await apply({ Resources: { C: thing({ Name: "c" }) } }, env, first.state);
    expect(env.calls.filter((c) => c.op === "delete").map((c) => c.logicalId)).toEqual(["B", "A"]);
  });

  it("replaces when the handler returns a new physical id: dependents updated, the old one deleted last", async () => {
    const first = await apply(base);
    const env = fakes({ replaceOn: "Name" });
    const { summary, state } = await apply(
      {
        Resources: {
          A: thing({ Name: "renamed" }),
          B: thing({ Name: "b", Of: { Ref: "A" } }),
          C: thing({ Name: "c" }),
        },
      },
      env,
      first.state,
    );
    expect(summary.replaced).toEqual(["A"]);
    expect(summary.updated).toEqual(["B"]);
    expect(summary.deleted).toEqual([]);
    expect(env.calls.map((c) => `${c.op} ${c.logicalId} ${JSON.stringify(c.properties)}`)).toEqual([
      'update A {"Name":"renamed"}',
      'update B {"Name":"b","Of":"thing-1-r1"}',
      'restore C {"Name":"c"}',
      'delete A {"Name":"a"}',
    ]);
    expect(Object.keys(state.resources).sort()).toEqual(["A", "B", "C"]);
  });

  it("a changed type is a replacement: create the new, delete the old", async () => {
    const other: ResourceHandler = {
      create: async () => ({ physicalId: "other", attributes: {} }),
      update: async () => ({ physicalId: "other", attributes: {} }),
      delete: async () => {},
    };
    const first = await apply({ Resources: { A: thing() } });
    const env = fakes();
    const handlers = { ...env.handlers, "Test::Other::Thing": other };
    const { summary, state } = await applyTemplate(
      { Resources: { A: { Type: "Test::Other::Thing" } } },
      { handlers, ctx: env.ctx, state: first.state },
    );
    expect(summary.replaced).toEqual(["A"]);
    expect(env.calls.map((c) => `${c.op} ${c.logicalId}`)).toEqual(["delete A"]);
    expect(state.resources.A?.physicalId).toBe("other");
  });

  it("a failed create stops the deploy; the saved state holds what was created", async () => {
    const store = memoryStateStore();
    const env = fakes();
    await expect(
      applyTemplate(
        { Resources: { A: thing(), B: thing({ Fail: true, X: { Ref: "A" } }) } },
        { handlers: env.handlers, ctx: env.ctx, state: undefined, persist: (s) => store.save(s) },
      ),
    ).rejects.toThrow("B: boom");
    expect(Object.keys((await store.load())?.resources ?? {})).toEqual(["A"]);
  });
});

describe("destroyStack", () => {
  it("deletes everything in reverse dependency order", async () => {
    const first = await apply({
      Resources: { B: thing({ Of: { Ref: "A" } }), A: thing(), C: thing({}, { DependsOn: "B" }) },
    });
    const env = fakes();
    const { state, deleted } = await destroyStack(first.state, { handlers: env.handlers, ctx: env.ctx });
    expect(deleted).toEqual(["C", "B", "A"]);
    expect(state.resources).toEqual({});
  });
});
