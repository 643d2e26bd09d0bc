// Unit tests for CloudFormation short-form tags: every function in scalar, sequence and mapping form.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation Sub strings, not JS templates.

import { describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { CFN_TAG_NAMES, expandCfnTags, intrinsicKey, splitGetAtt } from "./cfn-tags.js";

function load(text: string) {
  const doc = parseDocument(text, { merge: true });
  expect(doc.errors).toEqual([]);
  const problems = expandCfnTags(doc);
  return { value: doc.toJS({ maxAliasCount: 100 }) as Record<string, unknown>, problems };
}

function value(text: string): unknown {
  const { value, problems } = load(`v: ${text}`);
  expect(problems).toEqual([]);
  return value.v;
}

describe("intrinsicKey", () => {
  it("keeps Ref and Condition bare and prefixes the rest with Fn::", () => {
    expect(intrinsicKey("Ref")).toBe("Ref");
    expect(intrinsicKey("Condition")).toBe("Condition");
    expect(intrinsicKey("GetAZs")).toBe("Fn::GetAZs");
    expect(intrinsicKey("ToJsonString")).toBe("Fn::ToJsonString");
  });
});

describe("expandCfnTags", () => {
  const longForm = (name: (typeof CFN_TAG_NAMES)[number]) => intrinsicKey(name);
  const others = CFN_TAG_NAMES.filter((name) => name !== "GetAtt");

  it.each(others)("turns the scalar form of !%s into its intrinsic", (name) => {
    expect(value(`!${name} some-value`)).toEqual({ [longForm(name)]: "some-value" });
  });

  it.each(CFN_TAG_NAMES)("turns the sequence form of !%s into its intrinsic", (name) => {
    expect(value(`!${name} [a, 1, true]`)).toEqual({ [longForm(name)]: ["a", 1, true] });
  });

  it.each(CFN_TAG_NAMES)("turns the mapping form of !%s into its intrinsic", (name) => {
    expect(value(`!${name} {k: v, n: 2}`)).toEqual({ [longForm(name)]: { k: "v", n: 2 } });
  });

  it("keeps scalar content as a string, as Serverless's schema does", () => {
    expect(value("!Ref 123")).toEqual({ Ref: "123" });
    expect(value('!Sub "${AWS::StackName}-pool"')).toEqual({ "Fn::Sub": "${AWS::StackName}-pool" });
  });

  it("splits !GetAtt at the first dot only", () => {
    expect(value("!GetAtt Lambda.Arn")).toEqual({ "Fn::GetAtt": ["Lambda", "Arn"] });
    expect(value("!GetAtt Stack.Outputs.Value")).toEqual({ "Fn::GetAtt": ["Stack", "Outputs.Value"] });
    expect(value("!GetAtt [Lambda, Arn]")).toEqual({ "Fn::GetAtt": ["Lambda", "Arn"] });
    expect(splitGetAtt("NoDot")).toEqual(["NoDot", ""]);
  });

  it("expands nested and block forms", () => {
    const { value: out, problems } = load(
      [
        "a: !If [IsProd, !Ref Prod, !GetAtt B.Arn]",
        "b: !Join",
        '  - ""',
        "  - - !Ref X",
        "    - -y",
        "c: !Sub",
        '  - "${Name}"',
        "  - Name: !Select [0, !GetAZs '']",
        "d: !Transform",
        "  Name: AWS::Include",
        "  Parameters: {Location: s3://b/k}",
      ].join("\n"),
    );
    expect(problems).toEqual([]);
    expect(out).toEqual({
      a: { "Fn::If": ["IsProd", { Ref: "Prod" }, { "Fn::GetAtt": ["B", "Arn"] }] },
      b: { "Fn::Join": ["", [{ Ref: "X" }, "-y"]] },
      c: { "Fn::Sub": ["${Name}", { Name: { "Fn::Select": [0, { "Fn::GetAZs": "" }] } }] },
      d: { "Fn::Transform": { Name: "AWS::Include", Parameters: { Location: "s3://b/k" } } },
    });
  });

  it("handles a tagged document root", () => {
    const doc = parseDocument("!Ref Root");
    expandCfnTags(doc);
    expect(doc.toJS()).toEqual({ Ref: "Root" });
  });

  it("keeps anchors on the intrinsic, so aliases repeat it", () => {
    const { value: out } = load("a: &x !Ref A\nb: *x\nc: &y !GetAtt L.Arn\nd: *y");
    expect(out.b).toEqual({ Ref: "A" });
    expect(out.d).toEqual({ "Fn::GetAtt": ["L", "Arn"] });
  });

  it("accepts standard YAML tags", () => {
    const { value: out, problems } = load("a: !!str 12\nb: !!int '7'\nc: ! plain");
    expect(problems).toEqual([]);
    expect(out).toEqual({ a: "12", b: 7, c: "plain" });
  });

  it("reports unknown tags with their path", () => {
    const { problems } = load(
      "a:\n  list:\n    - ok\n    - !Bogus x\nb: !!python/object {}\nc: !GetAttr A.B",
    );
    expect(problems.map((p) => [p.code, p.path])).toEqual([
      ["UNKNOWN_CFN_TAG", ["a", "list", 1]],
      ["UNKNOWN_CFN_TAG", ["b"]],
      ["UNKNOWN_CFN_TAG", ["c"]],
    ]);
    expect(problems[0]?.message).toMatch(/^unknown tag "!Bogus": the CloudFormation short forms are !And, /);
  });

  it("leaves untagged content alone", () => {
    expect(load("a: {Ref: X}\nb: [1, 2]").value).toEqual({ a: { Ref: "X" }, b: [1, 2] });
  });
});
