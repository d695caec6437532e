/**
 * Browser loader: fetches a split's two files from URLs (the web demo serves them), gunzips
 * with DecompressionStream when they are gzipped, and applies the same IDX validation.
 */
import { assembleSplit, type SplitFile } from './assemble_split.js';
import type { FashionMnist } from './dataset.js';
import { DownloadError } from './errors.js';
import { FASHION_MNIST_FILES, type Checksums, type Split } from './files.js';
import { maybeGunzipWeb } from './gzip.js';

export interface LoadFromUrlsOptions {
  split: Split;
  /** Base URL of the four files, e.g. '/fashion-mnist/' (ends with '/'). */
  baseUrl: string;
  /** Appended to each file stem; default '.gz'. Raw and gzipped content are both accepted. */
  suffix?: string;
  limit?: number;
  /** Check SHA-256 of the decompressed files (WebCrypto). Default false. */
  verify?: boolean;
  checksums?: Checksums;
  /** fetch implementation; default globalThis.fetch. */
  fetch?: (url: string) => Promise<Response>;
  onProgress?: (bytes: number, total: number, file: string) => void;
}

async function fetchFile(url: string, name: string, o: LoadFromUrlsOptions): Promise<SplitFile> {
  const doFetch = o.fetch ?? ((u: string) => globalThis.fetch(u));
  let res: Response;
  try {
    res = await doFetch(url);
  } catch (e) {
    throw new DownloadError(url, `fetch failed (${e instanceof Error ? e.message : String(e)})`);
  }
  if (!res.ok) throw new DownloadError(url, `HTTP ${res.status} ${res.statusText}`.trim());
  const total = Number(res.headers.get('content-length') ?? 0);
  let bytes: Uint8Array;
  if (o.onProgress && res.body) {
    const reader = res.body.getReader();
    const chunks: Uint8Array[] = [];
    let received = 0;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        received += value.length;
        o.onProgress(received, total, name);
      }
    } catch (e) {
      throw new DownloadError(url, `connection lost after ${received} bytes (${e instanceof Error ? e.message : String(e)})`);
    }
    bytes = new Uint8Array(received);
    let at = 0;
    for (const c of chunks) {
      bytes.set(c, at);
      at += c.length;
    }
  } else {
    try {
      bytes = new Uint8Array(await res.arrayBuffer());
    } catch (e) {
      throw new DownloadError(url, `connection lost (${e instanceof Error ? e.message : String(e)})`);
    }
  }
  return { name, location: url, bytes: await maybeGunzipWeb(bytes, url.slice(url.lastIndexOf('/') + 1)) };
}

export async function loadFashionMnistFromUrls(o: LoadFromUrlsOptions): Promise<FashionMnist> {
  const suffix = o.suffix ?? '.gz';
  const stems = FASHION_MNIST_FILES[o.split];
  const url = (stem: string) => `${o.baseUrl}${stem}${suffix}`;
  const [images, labels] = await Promise.all([fetchFile(url(stems.images), stems.images, o), fetchFile(url(stems.labels), stems.labels, o)]);
  return assembleSplit({
    split: o.split,
    images,
    labels,
    source: { kind: 'url', url: o.baseUrl },
    verify: o.verify ?? false,
    checksums: o.checksums,
    limit: o.limit,
  });
}
