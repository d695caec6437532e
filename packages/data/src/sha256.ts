/** Browser-safe SHA-256 through WebCrypto (also present in Node >= 20 as globalThis.crypto). */
import { ChecksumMismatchError } from './errors.js';

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Throws ChecksumMismatchError unless `actual` equals `expected` (case-insensitive hex). */
export function checkSha256(file: string, actual: string, expected: string, note = ''): void {
  if (actual.toLowerCase() !== expected.toLowerCase()) throw new ChecksumMismatchError(file, actual, expected.toLowerCase(), note);
}
