/** Browser-safe gzip detection and decompression (Web Streams' DecompressionStream). */
import { GzipError } from './errors.js';

/** True when the bytes start with the gzip magic 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Gunzips with `DecompressionStream('gzip')`; a truncated or corrupt stream becomes a GzipError naming `file`. */
export async function gunzipWeb(bytes: Uint8Array, file: string): Promise<Uint8Array> {
  if (typeof DecompressionStream === 'undefined') {
    throw new GzipError(file, 'this runtime has no DecompressionStream; serve the files uncompressed');
  }
  try {
    const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (e) {
    throw new GzipError(file, e instanceof Error ? e.message : String(e));
  }
}

/** Returns the bytes as they are, or gunzipped when they carry the gzip magic. */
export async function maybeGunzipWeb(bytes: Uint8Array, file: string): Promise<Uint8Array> {
  return isGzip(bytes) ? gunzipWeb(bytes, file) : bytes;
}
