// The real Random port: node:crypto's CSPRNG.
import { randomBytes, randomInt, randomUUID } from "node:crypto";
import type { Random } from "./ports.js";

export const cryptoRandom: Random = {
  bytes: (length) => randomBytes(length),
  int: (max) => randomInt(max),
  uuid: () => randomUUID(),
};
