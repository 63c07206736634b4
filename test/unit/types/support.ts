/** Helpers for reading the shipped declarations with the TypeScript compiler API. */
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const TYPES_DIR = fileURLToPath(new URL('../../../shared/types/', import.meta.url));

/** What an author's editor or `tsc --checkJs` would use for a CommonJS action project. */
export const AUTHOR_OPTIONS: ts.CompilerOptions = {
  allowJs: true,
  checkJs: true,
  noEmit: true,
  strict: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  types: ['node'],
  skipLibCheck: false,
};

/**
 * A program over real files plus `virtual` ones (path -> text) that exist only in memory. Place
 * virtual files inside the repository so `hookchain/*` self-references and relative imports resolve.
 */
export function createProgram(
  files: string[],
  options: ts.CompilerOptions = AUTHOR_OPTIONS,
  virtual: ReadonlyMap<string, string> = new Map(),
): ts.Program {
  const host = ts.createCompilerHost(options);
  const { fileExists, readFile, getSourceFile } = host;
  host.fileExists = (file) => virtual.has(file) || fileExists.call(host, file);
  host.readFile = (file) => virtual.get(file) ?? readFile.call(host, file);
  host.getSourceFile = (file, language, ...rest) => {
    const text = virtual.get(file);
    return text === undefined
      ? getSourceFile.call(host, file, language, ...rest)
      : ts.createSourceFile(file, text, language);
  };
  return ts.createProgram([...files, ...virtual.keys()], options, host);
}

/** Syntactic and semantic diagnostics of one file of a program. */
export function fileDiagnostics(program: ts.Program, file: string): ts.Diagnostic[] {
  const source = program.getSourceFile(file);
  if (!source) throw new Error(`${file} is not in the program`);
  return [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)];
}

export function formatDiagnostics(diagnostics: readonly ts.Diagnostic[]): string {
  return ts.formatDiagnostics(diagnostics, {
    getCanonicalFileName: (name) => name,
    getCurrentDirectory: () => REPO_ROOT,
    getNewLine: () => '\n',
  });
}

export function diagnosticsOf(program: ts.Program): readonly ts.Diagnostic[] {
  return ts.getPreEmitDiagnostics(program);
}

/** The exported symbol `name` of a declaration file. */
export function exportedSymbol(program: ts.Program, file: string, name: string): ts.Symbol {
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file);
  if (!source) throw new Error(`${file} is not part of the program`);
  const moduleSymbol = checker.getSymbolAtLocation(source);
  if (!moduleSymbol) throw new Error(`${file} is not a module`);
  const symbol = checker.getExportsOfModule(moduleSymbol).find((s) => s.name === name);
  if (!symbol) throw new Error(`${file} does not export ${name}`);
  return symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
}

/** The type an exported interface or type alias names. */
export function exportedType(program: ts.Program, file: string, name: string): ts.Type {
  return program.getTypeChecker().getDeclaredTypeOfSymbol(exportedSymbol(program, file, name));
}

export const docOf = (checker: ts.TypeChecker, symbol: ts.Symbol): string =>
  ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim();

export const isOptional = (symbol: ts.Symbol): boolean => (symbol.flags & ts.SymbolFlags.Optional) !== 0;
