import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { formatErrors, typeCheck } from '../_helpers/type-check.js';

/*
 * The README is the manual on npm, where nothing else of the repo is: every TypeScript block in it
 * must compile on its own, as a user would paste it into a strict project that installed camb-rx.
 * Each block is its own module, type-checked against the built package (`camb-rx` resolves
 * through package.json's `exports` to dist/*.d.ts, as in an installed copy). A block that is
 * deliberately not a program (a summary of signatures) says so on the line above its fence:
 * `<!-- fragment: why -->`.
 */
const root = fileURLToPath(new URL('../../', import.meta.url));
const readme = readFileSync(join(root, 'README.md'), 'utf8');

/** A fenced code block of the README. */
interface CodeBlock {
  readonly language: string;
  readonly code: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  /** Why it is not compiled, when it is marked as a fragment. */
  readonly fragment: string | undefined;
}

/** The fenced code blocks of a Markdown text, in order. */
function codeBlocks(markdown: string): CodeBlock[] {
  const lines = markdown.split('\n');
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    const open = /^```(\S*)/.exec(lines[i] ?? '');
    if (!open) continue;
    const end = lines.findIndex((text, j) => j > i && text.startsWith('```'));
    if (end < 0) throw new Error(`README.md:${i + 1}: a code fence that never closes`);
    const marker = /^<!-- fragment: (.+) -->$/.exec(lines[i - 1] ?? '');
    blocks.push({ language: open[1] ?? '', code: lines.slice(i + 1, end).join('\n'), line: i + 1, fragment: marker?.[1] });
    i = end;
  }
  return blocks;
}

const blocks = codeBlocks(readme);
const typescriptBlocks = blocks.filter((block) => block.language === 'ts' || block.language === 'typescript');
const compiled = typescriptBlocks.filter((block) => block.fragment === undefined);
const fileOf = (block: CodeBlock) => `readme-line-${block.line}.mts`;

/** What a user's strict project would use; `experimentalDecorators` as Angular workspaces do. */
const userOptions: ts.CompilerOptions = {
  strict: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
  types: ['node'],
  experimentalDecorators: true,
  skipLibCheck: true,
};

describe('README.md code blocks', () => {
  it('show code as TypeScript, which is compiled, and only the rare block marked as a fragment is left uncompiled', () => {
    const javascript = blocks.filter((block) => /^(js|javascript|mjs|cjs|jsx|tsx)$/.test(block.language));
    expect(javascript.map((block) => `README.md:${block.line}: write it as \`\`\`ts so that it is type-checked`)).toEqual([]);
    expect(compiled.length).toBeGreaterThan(5);
    const fragments = typescriptBlocks.filter((block) => block.fragment !== undefined);
    expect(fragments.length, fragments.map((block) => `README.md:${block.line}`).join(', ')).toBeLessThanOrEqual(2);
  });

  it('each compile on their own under `strict`, against the built package types', () => {
    if (!existsSync(join(root, 'dist/index.d.ts'))) throw new Error('the README check needs the build: run `npm run build` first');
    const sources = Object.fromEntries(compiled.map((block) => [fileOf(block), block.code]));
    const { errors, resolved } = typeCheck(join(root, '.readme-check'), sources, userOptions);
    const located = errors.map((error) => {
      const block = compiled.find((candidate) => error.file.endsWith(fileOf(candidate)));
      return block ? { ...error, file: 'README.md', line: block.line + error.line } : error;
    });
    expect(formatErrors(located)).toBe('');
    const cambEntries = [...resolved].filter(([name]) => name === 'camb-rx' || name.startsWith('camb-rx/'));
    expect(cambEntries.length).toBeGreaterThan(0);
    for (const [name, file] of cambEntries) expect(file, name).toMatch(new RegExp(`^${root}dist/[\\w-]+\\.d\\.ts$`));
  });
});

describe('the Angular service in README.md', () => {
  /** The code lines of a source: no imports, comments or blank lines, trailing comments cut, spaces trimmed. */
  const codeLines = (source: string) =>
    source
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .split('\n')
      .map((line) => line.replace(/\s\/\/ .*$/, '').trim())
      .filter((line) => line !== '' && !line.startsWith('//') && !line.startsWith('import '));

  it('holds every line of code of examples/angular/, which test/angular/ runs', () => {
    const block = compiled.find((candidate) => candidate.code.includes('fetchViaHttpClient(inject(HttpClient))'));
    expect(block, 'the Angular block').toBeDefined();
    const inReadme = new Set(codeLines(block?.code ?? ''));
    for (const file of ['camb.providers.ts', 'transcription-status.ts']) {
      const lines = codeLines(readFileSync(join(root, 'examples/angular', file), 'utf8'));
      expect(lines.length).toBeGreaterThan(5);
      const missing = lines.filter((line) => !inReadme.has(line));
      expect(missing, `lines of examples/angular/${file} missing from README.md`).toEqual([]);
    }
  });
});
