// Stack state: what the local deploy created, saved as JSON in <dataDir>/stacks/<stackName>.json (or kept in memory).
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";

export interface ResourceState {
  logicalId: string;
  type: string;
  /** What `Ref` returns. */
  physicalId: string;
  /** The properties with every intrinsic resolved, as last applied: an update diffs against them. */
  properties: Record<string, unknown>;
  /** What `Fn::GetAtt` reads. */
  attributes: Record<string, unknown>;
  /** Resources it depended on when applied: deletes run in the reverse of this order. */
  dependsOn: string[];
}

export interface OutputState {
  value: unknown;
  description?: string | undefined;
  exportName?: string | undefined;
}

export interface StackState {
  stackName: string;
  region: string;
  resources: Record<string, ResourceState>;
  outputs: Record<string, OutputState>;
}

export const emptyState = (stackName: string, region: string): StackState => ({
  stackName,
  region,
  resources: {},
  outputs: {},
});

export interface StateStore {
  load(): Promise<StackState | undefined>;
  save(state: StackState): Promise<void>;
  remove(): Promise<void>;
}

export function stateFilePath(dataDir: string, stackName: string): string {
  return join(dataDir, "stacks", `${stackName}.json`);
}

export function fileStateStore(dataDir: string, stackName: string): StateStore {
  const path = stateFilePath(dataDir, stackName);
  let writes = 0;
  return {
    async load() {
      let text: string;
      try {
        text = await readFile(path, "utf8");
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
        throw error;
      }
      try {
        return JSON.parse(text) as StackState;
      } catch (error) {
        throw new Error(`the stack state ${path} is not valid JSON: ${(error as Error).message}`);
      }
    },
    async save(state) {
      await mkdir(join(dataDir, "stacks"), { recursive: true });
      // Written beside and renamed over, so a crash never leaves half a state file.
      const temp = `${path}.${process.pid}.${++writes}.tmp`;
      await writeFile(temp, `${JSON.stringify(state, null, 2)}\n`);
      await rename(temp, path);
    },
    async remove() {
      await rm(path, { force: true });
    },
  };
}

export function memoryStateStore(): StateStore {
  let saved: string | undefined;
  return {
    load: async () => (saved === undefined ? undefined : (JSON.parse(saved) as StackState)),
    save: async (state) => {
      saved = JSON.stringify(state);
    },
    remove: async () => {
      saved = undefined;
    },
  };
}
