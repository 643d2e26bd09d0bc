// Reads a request body up to a byte limit, so oversized bodies are refused without being held in memory.

export class BodyTooLarge extends Error {
  constructor() {
    super("request body too large");
  }
}

/**
 * The whole body, or BodyTooLarge. With `drainFactor`, an oversized body is still read (and dropped) to
 * its end, up to `drainFactor * limit` bytes: answering while the client is still sending makes SDKs see
 * a reset connection instead of the service's error. Past that, reading stops and the stream is cancelled.
 */
export async function readLimited(
  body: ReadableStream<Uint8Array> | null,
  limit: number,
  options: { declaredLength?: number | undefined; drainFactor?: number } = {},
): Promise<Buffer> {
  if (!body) return Buffer.alloc(0);
  const drainFactor = options.drainFactor ?? 1;
  let tooLarge = (options.declaredLength ?? 0) > limit;
  if (tooLarge && drainFactor <= 1) {
    await body.cancel().catch(() => {});
    throw new BodyTooLarge();
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) tooLarge = true;
    if (size > drainFactor * limit) {
      await reader.cancel().catch(() => {});
      throw new BodyTooLarge();
    }
    if (!tooLarge) chunks.push(value);
  }
  if (tooLarge) throw new BodyTooLarge();
  return Buffer.concat(chunks);
}
