/**
 * Prints a command's --help: command lines as the CLI was invoked (`pnpm convnets …` from a
 * checkout), reflowed to the terminal's width so that nothing is cut mid-word: paragraphs are
 * re-wrapped, option descriptions keep their column, and long examples continue with ` \`.
 */
import { asInvoked } from './invocation.js';
import { terminalWidth, wrapLine } from './terminal.js';

export function printHelp(text: string): void {
  process.stdout.write(formatHelp(asInvoked(text), terminalWidth(process.stdout)));
}

const OPTION = /^(\s+(?:-\w, )?--[\w-]+(?: <[^>]+>)?\s{2,})\S/;

export function formatHelp(text: string, width: number | undefined): string {
  if (width === undefined) return text;
  const lines = text.split('\n');
  const out: string[] = [];
  let inExamples = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^\S.*:$/.test(line)) inExamples = line === 'Examples:';
    const option = OPTION.exec(line);
    if (option) {
      // The description and the lines that continue it at the same column.
      const col = option[1]!.length;
      let desc = line.slice(col);
      while (i + 1 < lines.length && /^ +\S/.test(lines[i + 1]!) && /^ */.exec(lines[i + 1]!)![0].length === col) desc += ` ${lines[++i]!.trim()}`;
      out.push(...hanging(line.slice(0, col), desc, width));
    } else if (line.length <= width) {
      out.push(line);
    } else if (inExamples && line.startsWith('  ')) {
      out.push(...example(line, width));
    } else if (/^\S/.test(line)) {
      // A paragraph: it and the lines after it up to a blank or indented line.
      let para = line;
      while (i + 1 < lines.length && /^[^\s].*[^:]$/.test(lines[i + 1]!) && !OPTION.test(lines[i + 1]!)) para += ` ${lines[++i]!}`;
      out.push(...wrapLine(para, width, ''));
    } else {
      out.push(...wrapLine(line, width, '  '));
    }
  }
  return out.join('\n');
}

/** `lead` then `desc`, wrapped so that continuation lines start at lead's column (or 8 when that is too far right). */
function hanging(lead: string, desc: string, width: number): string[] {
  const col = lead.length <= width / 2 ? lead.length : 8;
  const words = desc.split(/ +/);
  const lines: string[] = [];
  let current = lead.length <= width / 2 ? lead.trimEnd() + ' '.repeat(lead.length - lead.trimEnd().length) : lead;
  let empty = true;
  for (const w of words) {
    if (!empty && current.length + 1 + w.length > width) {
      lines.push(current);
      current = ' '.repeat(col) + w;
    } else {
      current = empty ? current + w : `${current} ${w}`;
      empty = false;
    }
  }
  lines.push(current);
  return lines;
}

/** An example command: its comment on a line of its own, the command broken with shell continuations. */
function example(line: string, width: number): string[] {
  const [command, comment] = line.split(/ {2,}(?=# )/);
  const lines: string[] = [];
  let current = '';
  for (const w of command!.trim().split(/ +/)) {
    const lead = lines.length === 0 && current === '' ? '  ' : '      ';
    if (current !== '' && current.length + 1 + w.length + 2 > width) {
      lines.push(`${current} \\`);
      current = `      ${w}`;
    } else current = current === '' ? lead + w : `${current} ${w}`;
  }
  lines.push(current);
  if (comment) lines.unshift(...wrapLine(`  ${comment}`, width, '  '));
  return lines;
}
