// The quick parse must give exactly what the positional parse gives, on every fixture and on tricky input.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fastParse } from "./fast-yaml.js";
import { parseQuickly, parseYaml } from "./load-service.js";

const FIXTURES = join(import.meta.dirname, "..", "..", "test", "fixtures");

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return yamlFiles(path);
    return /\.(ya?ml)$/.test(entry.name) ? [path] : [];
  });
}

function both(text: string) {
  const slow = parseYaml(text, "x.yml");
  return { slow, quick: parseQuickly(text)?.value };
}

describe("fastParse", () => {
  const files = yamlFiles(FIXTURES);

  it("finds the fixtures", () => {
    expect(files.length).toBeGreaterThan(40);
  });

  for (const file of files) {
    it(`agrees with the positional parser: ${file.slice(FIXTURES.length + 1)}`, () => {
      const { slow, quick } = both(readFileSync(file, "utf8"));
      if (slow.problems.length > 0) return; // broken on purpose: the quick parse may or may not refuse it
      expect(quick).toEqual(slow.value);
    });
  }

  it.each([
    [
      "tags in every form",
      "a: !Ref X\nb: !GetAtt A.B.C\nc: !Sub [x, {y: 1}]\nd: !If [c, 1, 2]\ne: !Join\n  - ''\n  - [a, b]\n",
    ],
    ["merge keys and anchors", "base: &b {x: 1, y: 2}\nderived:\n  <<: *b\n  y: 3\n"],
    ["YAML 1.2 scalars", "a: yes\nb: 0o17\nc: 2024-01-01\nd: ~\ne: 1e3\nf: '010'\n"],
    ["an anchored tag", "k: &key !GetAtt Key.Arn\nagain: *key\n"],
  ])("matches on %s", (_name, text) => {
    const { slow, quick } = both(text);
    expect(slow.problems).toEqual([]);
    expect(quick).toEqual(slow.value);
  });

  it.each([
    ["an unknown tag", "a: !Nope x\n"],
    ["a duplicate key", "a: 1\na: 2\n"],
    ["a syntax error", "a: [1, 2\n"],
  ])("leaves %s to the positional parser", (_name, text) => {
    expect(fastParse(text)).toBeUndefined();
  });

  it("gives up on an alias bomb instead of expanding it", () => {
    const levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(10).fill(`*${prev}`).join(", ")}]`);
    }
    expect(fastParse(levels.join("\n"))).toBeDefined();
    expect(parseQuickly(levels.join("\n"))).toBeUndefined();
  });
});
