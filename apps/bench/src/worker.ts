/**
 * Child-process entry: measures one row, so each row has its own peak RSS and its own
 * kernel registry (stock wasm). argv[2] is a JSON RowRequest; the result is the last
 * stdout line, prefixed with RESULT_PREFIX. Everything else goes to stderr.
 */
import { measureRow, selectBackend, type RowRequest } from './measure.js';

import { RESULT_PREFIX } from './row.js';

async function main(): Promise<void> {
  console.log = console.error; // tfjs notices must not reach the parent's parser
  console.info = console.error;
  const req = JSON.parse(process.argv[2] ?? '') as RowRequest;
  try {
    await selectBackend(req.backend);
  } catch (e) {
    // BackendUnavailableError (or a failed start): the parent skips this backend.
    const reason = e instanceof Error ? e.message : String(e);
    process.stdout.write(`${RESULT_PREFIX}${JSON.stringify({ unavailable: reason })}\n`);
    return;
  }
  const result = await measureRow(req);
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
    process.exit(1);
  },
);
