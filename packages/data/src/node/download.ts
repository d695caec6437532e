/**
 * Downloads one file into a directory: streamed to a temp file beside the target, checked
 * (byte count, gzip integrity, SHA-256 of the decompressed content), then renamed into place.
 * Any failure deletes the temp file, so the cache never holds a partial or wrong file.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import { basename, dirname, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { checkSha256, DataError, DownloadError } from '../index.js';
import { maybeGunzipNode, sha256Node } from './read_idx_file.js';

export type ProgressCallback = (bytes: number, total: number, file: string) => void;

export interface DownloadOptions {
  /** Expected SHA-256 (hex) of the DECOMPRESSED content. */
  sha256: string;
  /** Abort when the connection is idle (no bytes, no response) this long. Default 60 s. */
  timeoutMs?: number;
  /** Called as bytes arrive; total is 0 when the server sends no Content-Length. */
  onProgress?: ProgressCallback;
  maxRedirects?: number;
}

interface RequestState {
  timedOut: boolean;
}

function get(url: string, timeoutMs: number, redirects: number, state: RequestState): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const client = url.startsWith('https:') ? https : http;
    const req = client.get(url, (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location) {
        res.resume();
        if (redirects <= 0) return reject(new DownloadError(url, 'too many redirects'));
        return resolve(get(new URL(res.headers.location, url).toString(), timeoutMs, redirects - 1, state));
      }
      if (status !== 200) {
        res.resume();
        return reject(new DownloadError(url, `HTTP ${status} ${res.statusMessage ?? ''}`.trim()));
      }
      resolve(res);
    });
    req.setTimeout(timeoutMs, () => {
      state.timedOut = true;
      req.destroy(new DownloadError(url, `timed out: no data for ${timeoutMs} ms`));
    });
    req.on('error', (e) => reject(e instanceof DataError ? e : new DownloadError(url, `request failed (${e.message})`)));
  });
}

/** Downloads `url` to `dest` (atomically), verifying the decompressed SHA-256. */
export async function downloadFile(url: string, dest: string, o: DownloadOptions): Promise<void> {
  const timeoutMs = o.timeoutMs ?? 60_000;
  const file = basename(dest);
  const dir = dirname(dest);
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const state: RequestState = { timedOut: false };
    const res = await get(url, timeoutMs, o.maxRedirects ?? 5, state);
    const total = Number(res.headers['content-length'] ?? 0);
    let received = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        received += chunk.length;
        o.onProgress?.(received, total, file);
        done(null, chunk);
      },
    });
    try {
      await pipeline(res, counter, createWriteStream(tmp));
    } catch (e) {
      if (e instanceof DataError) throw e;
      const why = state.timedOut ? `timed out: no data for ${timeoutMs} ms` : e instanceof Error ? e.message : String(e);
      throw new DownloadError(url, `connection dropped after ${received} of ${total || '?'} bytes (${why}); the partial file was deleted`);
    }
    if (total && received !== total) {
      throw new DownloadError(url, `connection dropped after ${received} of ${total} bytes; the partial file was deleted`);
    }
    let content: Uint8Array;
    try {
      content = await maybeGunzipNode(await readFile(tmp), file);
    } catch (e) {
      throw e instanceof DataError ? new DownloadError(url, `${e.message}; the download was deleted`) : e;
    }
    checkSha256(file, sha256Node(content), o.sha256, `the download from ${url} was deleted`);
    await rename(tmp, dest);
  } finally {
    await rm(tmp, { force: true });
  }
}
