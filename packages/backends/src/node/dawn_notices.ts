import { captureNativeStderr } from './native_stderr.js';

/**
 * Dawn's notice that it capped two pipeline-layout limits to the 16 it supports, printed from
 * native code on every adapter request (GL ES/llvmpipe reports 90 and 80, NVIDIA's Vulkan
 * driver 1000000). It changes nothing tfjs uses, so the user never sees it.
 */
export const DAWN_LIMIT_NOTICE = /^Warning: maxDynamic(?:Uniform|Storage)BuffersPerPipelineLayout artificially reduced from \d+ to \d+ to fit dynamic offset allocation limit\.$/;

/** Said once, where stderr could not be captured (a socket, say) and Dawn's notices got through. */
const DAWN_NOTICE_NOTE =
  'note: the "artificially reduced" warnings above are Dawn\'s and harmless (tfjs stays within the 16 it keeps)';
let noted = false;

/**
 * Runs fn (a Dawn call that prints synchronously) and passes on to stderr what it printed, less
 * DAWN_LIMIT_NOTICE lines; where stderr cannot be captured, says once what those lines mean.
 */
export function withoutDawnNotices<T>(fn: () => T): T {
  const { result, captured } = captureNativeStderr(fn);
  if (captured === null) {
    if (!noted) process.stderr.write(`${DAWN_NOTICE_NOTE}\n`);
    noted = true;
    return result;
  }
  const rest = captured.split('\n').filter((line) => line.trim() !== '' && !DAWN_LIMIT_NOTICE.test(line));
  if (rest.length) process.stderr.write(`${rest.join('\n')}\n`);
  return result;
}
