// The local KMS ciphertext blob: AES-256-GCM under the key's material, carrying the key ARN like KMS's own.
//
// Layout: version (1) | ARN length (2, BE) | key ARN (UTF-8) | IV (12) | tag (16) | ciphertext.
// The key ARN is inside the blob so Decrypt works without KeyId, as KMS's does; it and the encryption
// context are the GCM additional data, so neither can be swapped without Decrypt failing.
import { createCipheriv, createDecipheriv } from "node:crypto";

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const LABEL = Buffer.from("cognito-triggers/kms-ciphertext/v1", "utf8");

/** KMS treats the encryption context as an unordered map: the same pairs in any order must match. */
export function canonicalContext(context: Record<string, string>): string {
  const entries = Object.entries(context).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify(entries);
}

function additionalData(keyArn: string, context: Record<string, string>): Buffer {
  return Buffer.concat([
    LABEL,
    Buffer.from([0]),
    Buffer.from(keyArn, "utf8"),
    Buffer.from([0]),
    Buffer.from(canonicalContext(context), "utf8"),
  ]);
}

export function sealBlob(
  keyArn: string,
  material: Buffer,
  iv: Buffer,
  plaintext: Buffer,
  context: Record<string, string>,
): Buffer {
  const arn = Buffer.from(keyArn, "utf8");
  const header = Buffer.alloc(3);
  header[0] = VERSION;
  header.writeUInt16BE(arn.length, 1);
  const cipher = createCipheriv("aes-256-gcm", material, iv);
  cipher.setAAD(additionalData(keyArn, context));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([header, arn, iv, cipher.getAuthTag(), body]);
}

export interface ParsedBlob {
  keyArn: string;
  iv: Buffer;
  tag: Buffer;
  body: Buffer;
}

/** The blob's parts, or undefined when it is not a blob of this format. */
export function parseBlob(blob: Buffer): ParsedBlob | undefined {
  if (blob.length < 3 || blob[0] !== VERSION) return undefined;
  const arnLength = blob.readUInt16BE(1);
  const ivAt = 3 + arnLength;
  if (arnLength === 0 || blob.length < ivAt + IV_BYTES + TAG_BYTES) return undefined;
  const keyArn = blob.subarray(3, ivAt).toString("utf8");
  return {
    keyArn,
    iv: blob.subarray(ivAt, ivAt + IV_BYTES),
    tag: blob.subarray(ivAt + IV_BYTES, ivAt + IV_BYTES + TAG_BYTES),
    body: blob.subarray(ivAt + IV_BYTES + TAG_BYTES),
  };
}

/** The plaintext, or undefined when the material or the encryption context is not the one sealed with. */
export function openBlob(
  parsed: ParsedBlob,
  material: Buffer,
  context: Record<string, string>,
): Buffer | undefined {
  try {
    const decipher = createDecipheriv("aes-256-gcm", material, parsed.iv);
    decipher.setAAD(additionalData(parsed.keyArn, context));
    decipher.setAuthTag(parsed.tag);
    return Buffer.concat([decipher.update(parsed.body), decipher.final()]);
  } catch {
    return undefined;
  }
}
