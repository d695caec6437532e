/** Reads a raw or gzipped file from disk and returns its decompressed bytes. */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { GzipError, isGzip } from '../index.js';

const gunzipAsync = promisify(gunzip);

/** Gunzips (node:zlib) when the bytes carry the gzip magic; errors name `file`. */
export async function maybeGunzipNode(bytes: Uint8Array, file: string): Promise<Uint8Array> {
  if (!isGzip(bytes)) return bytes;
  try {
    const out = await gunzipAsync(bytes);
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    throw new GzipError(file, /unexpected end/i.test(msg) ? `truncated: ${msg}` : msg);
  }
}

export async function readDecompressed(path: string): Promise<Uint8Array> {
  return maybeGunzipNode(await readFile(path), path);
}

/** SHA-256 (hex) with node:crypto. */
export function sha256Node(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
