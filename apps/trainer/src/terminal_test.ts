import { describe, expect, it } from 'vitest';
import { commandLines, shellQuote, terminalWidth, wrapLine } from './terminal.js';

describe('wrapLine', () => {
  const text = 'auto skipped tensorflow: @tensorflow/tfjs-node-gpu is not installed. On a machine with CUDA 11.2 and cuDNN 8.1: npm install @tensorflow/tfjs-node-gpu@4.22.0 with install scripts allowed';

  it('breaks at spaces into lines that fit, and every word survives whole', () => {
    const lines = wrapLine(text, 80);
    expect(lines.length).toBeGreaterThan(1);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(80);
    expect(lines.slice(1).every((l) => l.startsWith('    '))).toBe(true);
    expect(lines.map((l) => l.trim()).join(' ')).toBe(text);
  });

  it('keeps a line that fits, a leading indent, and gives an overlong word a line of its own', () => {
    expect(wrapLine('short', 80)).toEqual(['short']);
    expect(wrapLine(text, undefined)).toEqual([text]);
    const indented = wrapLine(`  ${'word '.repeat(30).trim()}`, 40);
    expect(indented.every((l) => l.startsWith('  '))).toBe(true);
    expect(wrapLine(`see ${'x'.repeat(50)} now`, 20)).toEqual(['see', `    ${'x'.repeat(50)}`, '    now']);
  });
});

describe('terminalWidth', () => {
  it('a terminal reports its columns; a pipe uses $COLUMNS or does not wrap', () => {
    expect(terminalWidth({ isTTY: true, columns: 100 }, {})).toBe(100);
    expect(terminalWidth({ isTTY: false }, { COLUMNS: '80' })).toBe(80);
    expect(terminalWidth({ isTTY: false }, {})).toBeUndefined();
    expect(terminalWidth({ isTTY: false }, { COLUMNS: 'wide' })).toBeUndefined();
  });
});

describe('commandLines', () => {
  it('breaks a command between arguments with shell continuations', () => {
    const words = ['pnpm', 'convnets', 'train', '--model', 'alexnet', '--out', '/tmp/some/long/run/directory/name', '--limit-train', '2000', '--resume'];
    const lines = commandLines(words, 50);
    expect(lines.length).toBeGreaterThan(1);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(50);
    expect(lines.slice(0, -1).every((l) => l.endsWith(' \\'))).toBe(true);
    expect(lines.map((l) => l.replace(/ \\$/, '').trim()).join(' ')).toBe(words.join(' '));
    expect(commandLines(words, undefined)).toEqual([`  ${words.join(' ')}`]);
  });

  it('quotes what a shell would split or expand', () => {
    expect(shellQuote('--out')).toBe('--out');
    expect(shellQuote('my run')).toBe("'my run'");
    expect(shellQuote("it's")).toBe("'it'\\''s'");
  });
});
