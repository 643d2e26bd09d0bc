// Resource ordering: DependsOn plus implicit references decide what is created first, as in CloudFormation.

export class DependencyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DependencyError";
  }
}

/**
 * Orders `nodes` so every node comes after the ones it depends on; ties keep the template's order so
 * runs are reproducible. Throws naming the cycle when there is one.
 */
export function dependencyOrder(
  nodes: readonly string[],
  dependencies: ReadonlyMap<string, ReadonlySet<string>>,
): string[] {
  const order: string[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (node: string, path: string[]): void => {
    const seen = state.get(node);
    if (seen === "done") return;
    if (seen === "visiting") {
      const cycle = [...path.slice(path.indexOf(node)), node];
      throw new DependencyError(`Circular dependency between resources: ${cycle.join(" -> ")}`);
    }
    state.set(node, "visiting");
    for (const dependency of dependencies.get(node) ?? []) visit(dependency, [...path, node]);
    state.set(node, "done");
    order.push(node);
  };
  for (const node of nodes) visit(node, []);
  return order;
}
