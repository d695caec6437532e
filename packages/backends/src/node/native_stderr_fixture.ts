// Used by native_stderr_test: writes to fd 2 before, inside and after a capture.
import { writeSync } from 'node:fs';
import { DAWN_LIMIT_NOTICE, withoutDawnNotices } from './dawn_notices.js';
import { captureNativeStderr } from './native_stderr.js';

const notice = 'Warning: maxDynamicUniformBuffersPerPipelineLayout artificially reduced from 90 to 16 to fit dynamic offset allocation limit.';
if (!DAWN_LIMIT_NOTICE.test(notice)) throw new Error('the fixture notice does not match DAWN_LIMIT_NOTICE');
writeSync(2, 'before\n');
const { result, captured } = captureNativeStderr(() => {
  writeSync(2, 'inside\n');
  return 7;
});
const quiet = withoutDawnNotices(() => {
  writeSync(2, `${notice}\nDawn: something else\n${notice}\n`);
  return 'adapter';
});
process.stderr.write('after\n');
console.log(JSON.stringify({ result, captured, quiet }));
