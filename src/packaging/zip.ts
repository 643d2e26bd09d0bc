// Deterministic zips: sorted entries and a fixed timestamp, so the same files always give the same CodeSha256.
import { createHash } from "node:crypto";
import { type Zippable, zipSync } from "fflate";

/** 1980-01-01, the earliest time a zip header can hold; any fixed value keeps the bytes stable. */
const FIXED_MTIME = new Date(1980, 0, 1, 0, 0, 0);

export interface ZipEntry {
  /** Path inside the zip, with forward slashes. */
  name: string;
  data: Uint8Array;
  /** Unix permission bits; Lambda needs the execute bit on scripts such as bootstrap. */
  mode?: number | undefined;
}

export function createZip(entries: readonly ZipEntry[]): Uint8Array {
  const files: Zippable = {};
  for (const entry of [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const mode = entry.mode ?? 0o644;
    files[entry.name] = [
      entry.data,
      { level: 6, mtime: FIXED_MTIME, os: 3, attrs: ((0o100000 | mode) << 16) >>> 0 },
    ];
  }
  return zipSync(files);
}

/** The form Lambda reports as CodeSha256: base64 of the SHA-256 of the zip. */
export function sha256Base64(data: Uint8Array): string {
  return createHash("sha256").update(data).digest("base64");
}
