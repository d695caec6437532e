/**
 * Every way Fashion-MNIST data can be wrong gets its own error class. Messages start with
 * the file name and say what is wrong and, where there is one, what to do about it.
 */

/** Base class of every data error; `file` names the file (or URL) at fault, if any. */
export class DataError extends Error {
  readonly file: string;
  constructor(file: string, message: string) {
    super(file ? `${file}: ${message}` : message);
    this.name = new.target.name;
    this.file = file;
  }
}

/** The IDX magic number is not the one the file should have (2049 labels, 2051 images). */
export class IdxMagicError extends DataError {
  constructor(
    file: string,
    readonly found: number,
    readonly expected: number,
  ) {
    super(
      file,
      `wrong magic number ${found} (0x${found.toString(16).padStart(8, '0')}), expected ${expected} ` +
        `(${expected === 2049 ? 'an IDX label file' : 'an IDX image file'}); is this the right file?`,
    );
  }
}

/** The file holds fewer bytes than its header announces. */
export class IdxTruncatedError extends DataError {}

/** The file holds more bytes than its header announces. */
export class IdxTrailingBytesError extends DataError {}

/** The header's dimensions are not the expected ones (e.g. 28x28 images). */
export class IdxDimensionError extends DataError {}

/** A label is outside 0..numClasses-1. */
export class IdxLabelRangeError extends DataError {
  constructor(
    file: string,
    readonly index: number,
    readonly label: number,
    readonly numClasses: number,
  ) {
    super(file, `label ${label} at index ${index} is out of range 0..${numClasses - 1}`);
  }
}

/** The image file and the label file disagree on the number of examples. */
export class IdxCountMismatchError extends DataError {
  constructor(
    imagesFile: string,
    readonly images: number,
    labelsFile: string,
    readonly labels: number,
  ) {
    super(imagesFile, `holds ${images} images but ${labelsFile} holds ${labels} labels; the two files do not belong together`);
  }
}

/** The gzip stream is truncated or corrupt. */
export class GzipError extends DataError {
  constructor(file: string, reason: string) {
    super(file, `corrupt gzip data (${reason}); delete the file and fetch it again`);
  }
}

/** The SHA-256 of the decompressed content is not the expected one. */
export class ChecksumMismatchError extends DataError {
  constructor(
    file: string,
    readonly actual: string,
    readonly expected: string,
    note = '',
  ) {
    super(file, `SHA-256 of the decompressed content is ${actual}, expected ${expected}${note ? `; ${note}` : ''}`);
  }
}

/** A download failed: HTTP status, dropped connection, or timeout. */
export class DownloadError extends DataError {}

/** No source could provide the data; the message lists what was tried and how to fix it. */
export class DataNotFoundError extends DataError {
  constructor(
    message: string,
    readonly tried: readonly { source: string; reason: string }[],
  ) {
    super('', message);
  }
}
