// The Random port and its real implementation, node:crypto's CSPRNG.
import { randomBytes, randomInt, randomUUID } from "node:crypto";

export interface Random {
  bytes(length: number): Buffer;
  /** Uniform integer in [0, max). */
  int(max: number): number;
  uuid(): string;
}

export const cryptoRandom: Random = {
  bytes: (length) => randomBytes(length),
  int: (max) => randomInt(max),
  uuid: () => randomUUID(),
};
