import { join } from 'node:path';
import ts from 'typescript';

/** One error TypeScript reported: where, and what. */
export interface TypeCheckError {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

/** What a type-check resolved and reported. */
export interface TypeCheckResult {
  /** Every error, in order; empty when the sources compile. */
  readonly errors: readonly TypeCheckError[];
  /** Where each module name imported by a source resolved to (undefined: not found). */
  readonly resolved: ReadonlyMap<string, string | undefined>;
}

/**
 * Type-checks in-memory sources, as if they were files in `directory`, with TypeScript's own
 * compiler: module names resolve from there as they would for a project in that folder (its
 * `node_modules`, or the enclosing package's own `exports` for a self-reference).
 *
 * @param directory - the folder the sources pretend to be in
 * @param sources - file name (relative to `directory`) → source text
 * @param options - compiler options; `noEmit` is always set
 * @returns the errors, and where each imported module name resolved to
 */
export function typeCheck(directory: string, sources: Readonly<Record<string, string>>, options: ts.CompilerOptions): TypeCheckResult {
  const files = new Map(Object.entries(sources).map(([name, text]) => [join(directory, name), text]));
  const compilerOptions: ts.CompilerOptions = { ...options, noEmit: true };
  const host = ts.createCompilerHost(compilerOptions, true);
  const { fileExists, readFile, getSourceFile } = host;
  host.fileExists = (file) => files.has(file) || fileExists.call(host, file);
  host.readFile = (file) => files.get(file) ?? readFile.call(host, file);
  host.getSourceFile = (file, language, ...rest) => {
    const text = files.get(file);
    return text === undefined ? getSourceFile.call(host, file, language, ...rest) : ts.createSourceFile(file, text, language, true);
  };
  const program = ts.createProgram({ rootNames: [...files.keys()], options: compilerOptions, host });
  const errors = ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const { file, start } = diagnostic;
    const line = file && start !== undefined ? file.getLineAndCharacterOfPosition(start).line + 1 : 0;
    return { file: file?.fileName ?? '', line, message: ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n') };
  });
  const resolved = new Map<string, string | undefined>();
  for (const file of files.keys()) {
    const source = program.getSourceFile(file);
    for (const statement of source?.statements ?? []) {
      if (!source || !ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
      const mode = program.getModeForUsageLocation(source, statement.moduleSpecifier);
      const module = ts.resolveModuleName(statement.moduleSpecifier.text, file, compilerOptions, host, undefined, undefined, mode);
      resolved.set(statement.moduleSpecifier.text, module.resolvedModule?.resolvedFileName);
    }
  }
  return { errors, resolved };
}

/**
 * The errors of a {@link typeCheck}, one per line, for a failure message.
 *
 * @param errors - the errors
 * @returns `file:line message` lines
 */
export function formatErrors(errors: readonly TypeCheckError[]): string {
  return errors.map(({ file, line, message }) => `${file}:${line} ${message}`).join('\n');
}
