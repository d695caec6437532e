/**
 * Lines that fit the terminal: prose the CLI prints is wrapped at spaces to the terminal's
 * width, so an 80-column terminal never cuts a word. Piped output (no TTY and no $COLUMNS)
 * stays one line per record, for grep and logs.
 */

/** The stream's width: its columns on a terminal, else $COLUMNS, else undefined (do not wrap). */
export function terminalWidth(stream: { isTTY?: boolean; columns?: number } = process.stdout, env: NodeJS.ProcessEnv = process.env): number | undefined {
  if (stream.isTTY && stream.columns && stream.columns > 0) return stream.columns;
  const cols = Number(env.COLUMNS);
  return Number.isInteger(cols) && cols > 0 ? cols : undefined;
}

/**
 * One line broken at spaces into lines of at most `width` characters; continuation lines are
 * indented by `indent`. A word longer than the width (a long path) gets a line of its own.
 */
export function wrapLine(line: string, width: number | undefined, indent = '    '): string[] {
  if (width === undefined || line.length <= width) return [line];
  const lead = /^ */.exec(line)![0];
  const words = line.slice(lead.length).split(/ +/);
  const lines: string[] = [];
  let current = lead;
  let prefix = lead;
  for (const word of words) {
    if (current.trim() === '') current = prefix + word;
    else if (current.length + 1 + word.length <= width) current += ` ${word}`;
    else {
      lines.push(current);
      prefix = lead + indent;
      current = prefix + word;
    }
  }
  lines.push(current);
  return lines;
}

/** Writes text (one or more lines) to a stream, each line wrapped to the stream's width. */
export function writeWrapped(stream: NodeJS.WriteStream, text: string): void {
  const width = terminalWidth(stream);
  stream.write(`${text.split('\n').flatMap((l) => wrapLine(l, width)).join('\n')}\n`);
}

/** A line on stdout, wrapped to the terminal. */
export function say(line: string): void {
  writeWrapped(process.stdout, line);
}

/** A line on stderr, wrapped to the terminal. */
export function warn(line: string): void {
  writeWrapped(process.stderr, line);
}

/** An argument as a POSIX shell reads it back: bare when safe, else in single quotes. */
export function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/**
 * A command line to copy into a shell, indented by two spaces and broken between arguments
 * with ` \` continuations so that each line fits `width` and still pastes as one command.
 */
export function commandLines(words: string[], width: number | undefined): string[] {
  const quoted = words.map(shellQuote);
  if (width === undefined) return [`  ${quoted.join(' ')}`];
  const lines: string[] = [];
  let current = '  ';
  for (const w of quoted) {
    if (current.trim() !== '' && current.length + 1 + w.length + 2 > width) {
      lines.push(`${current} \\`);
      current = `      ${w}`;
    } else current = current.trim() === '' ? `  ${w}` : `${current} ${w}`;
  }
  lines.push(current);
  return lines;
}
