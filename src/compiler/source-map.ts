// Maps configuration paths back to line:column in the YAML/JSON source, through aliases and merge keys.
import type { Document, LineCounter, Node } from "yaml";
import { isAlias, isMap, isScalar, isSeq } from "yaml";
import { keyText } from "./cfn-tags.js";
import type { ConfigPath, SourceLocation } from "./errors.js";

export type Locate = (path: ConfigPath) => SourceLocation | undefined;

// Merge keys can chain (`<<: *a` where `a` has its own `<<`); real files never go this deep.
const MAX_MERGE_DEPTH = 20;

/**
 * Returns `locate(path)`: the position of the node at `path`, or of its nearest ancestor written in the
 * source (values produced later, e.g. by variables or intrinsics, sit inside what produced them).
 */
export function createLocator(doc: Document, lineCounter: LineCounter, file: string): Locate {
  const position = (node: Node | null | undefined): SourceLocation | undefined => {
    const offset = node?.range?.[0];
    if (offset === undefined) return undefined;
    const { line, col } = lineCounter.linePos(offset);
    // Before the first newline is recorded the counter reports line 0 and the raw offset.
    return line === 0 ? { file, line: 1, column: col + 1 } : { file, line, column: col };
  };

  const deref = (node: unknown): unknown => {
    let current = node;
    for (let hops = 0; isAlias(current) && hops < 100; hops++) current = current.resolve(doc);
    return current;
  };

  const findInMap = (map: unknown, key: string, depth: number): Node | undefined => {
    const target = deref(map);
    if (!isMap(target) || depth > MAX_MERGE_DEPTH) return undefined;
    const mergeSources: unknown[] = [];
    for (const pair of target.items) {
      const name = keyText(pair.key);
      if (name === key) {
        const value = pair.value as Node | null;
        // An empty value (`key:`) has a zero-width range just after the colon: the key is the better spot.
        if (!value || (isScalar(value) && value.value === null && value.range?.[0] === value.range?.[1])) {
          return pair.key as Node;
        }
        return value;
      }
      if (name === "<<" && isScalar(pair.key) && typeof pair.key.value === "symbol") {
        const source = deref(pair.value);
        if (isSeq(source)) mergeSources.push(...source.items);
        else mergeSources.push(source);
      }
    }
    // Keys written in the map win over merged ones, and earlier merge sources over later ones.
    for (const source of mergeSources) {
      const found = findInMap(source, key, depth + 1);
      if (found) return found;
    }
    return undefined;
  };

  return (path) => {
    let node: unknown = doc.contents;
    let best = position(node as Node | null);
    for (const segment of path) {
      const current = deref(node);
      let next: Node | undefined;
      if (isMap(current)) {
        next = findInMap(current, String(segment), 0);
      } else if (isSeq(current)) {
        const index = typeof segment === "number" ? segment : /^\d+$/.test(segment) ? Number(segment) : -1;
        next = index >= 0 ? (current.items[index] as Node | undefined) : undefined;
      }
      if (!next) break;
      node = next;
      best = position(next) ?? best;
    }
    return best;
  };
}
