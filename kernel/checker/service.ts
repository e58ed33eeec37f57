/**
 * The cell compiler: type-checks a cell against the declarations of earlier cells,
 * then emits the JavaScript the executor runs (with a source map) and records the
 * cell's declarations for later cells. Also answers completion, inspection and
 * is-complete questions from the same program.
 *
 * Start-up is staged. Parsing the type declarations is most of a kernel's start-up
 * cost, and a program's size sets the cost of every check, so there is one program per
 * tier: the ECMAScript library; plus Node's types; plus optilab's. A cell is checked in
 * the smallest tier that has everything it uses: an error in a lower tier sends it up a
 * tier, so no cell is accepted or refused for lack of declarations. A tier sees only
 * the declarations of cells checked in it or below, so what passes in a low tier would
 * pass in every higher one (a higher tier only adds declarations). Tiers are built
 * ahead in idle time.
 */
import ts = require('typescript');
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DeclarationStore } from './declarations.js';
import { sourceExcerpt, lineAndColumn, type ErrorContent } from './errors.js';
import { CELL_API, topLevelTransformer, bindingNames, type TransformResult } from './transform.js';

/** Globals of a fresh Node realm: a cell may not replace them (the kernel's own code relies on them). */
const BUILTIN_GLOBALS = new Set(Object.getOwnPropertyNames(globalThis));

export interface CompiledCell {
  ok: true;
  /** JavaScript of the cell body, to run inside `async function (__optilab) { ... }`. */
  js: string;
  /** Its source map (JSON) back to the cell's TypeScript. */
  sourceMap: string;
  /** Top-level names the cell declares. */
  declares: string[];
  /** The cell mentions a preloaded library name (tf, optim, plot, ...) or imports optilab. */
  needsLibrary: boolean;
  /** The tier the cell was checked in (0: ES library, 1: + Node, 2: + optilab). */
  tier: number;
}

export interface CompileFailure {
  ok: false;
  error: ErrorContent;
}

export interface CheckerOptions {
  /** The notebook's folder: relative imports and packages resolve from here first. */
  notebookDir: string;
  /** optilab's package root: packages the notebook folder lacks resolve from here. */
  packageRoot: string;
  /** optilab's type entry point (dist/lib/index.d.ts); absent before a build. */
  libTypes: string;
}

const COMPILER_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  lib: ['lib.es2023.d.ts'],
  types: [],
  strict: true,
  skipLibCheck: true,
  esModuleInterop: true,
  allowSyntheticDefaultImports: true,
  // Local .js/.mjs helpers next to a notebook are typed by inference rather than refused as untyped.
  allowJs: true,
  resolveJsonModule: true,
  declaration: true,
  sourceMap: true,
  useDefineForClassFields: true,
  noEmitOnError: false,
};

/** Names exported by optilab's entry point: `values` exist at run time, `all` includes types. */
export function libraryExports(libTypes: string): { values: Set<string>; all: Set<string> } {
  const values = new Set<string>();
  const all = new Set<string>();
  if (!existsSync(libTypes)) return { values, all };
  const sf = ts.createSourceFile(libTypes, readFileSync(libTypes, 'utf8'), ts.ScriptTarget.Latest, false);
  const add = (name: string, isValue: boolean) => {
    all.add(name);
    if (isValue) values.add(name);
  };
  for (const st of sf.statements) {
    if (ts.isExportDeclaration(st) && st.exportClause) {
      if (ts.isNamespaceExport(st.exportClause)) add(st.exportClause.name.text, !st.isTypeOnly);
      else for (const el of st.exportClause.elements) add(el.name.text, !st.isTypeOnly && !el.isTypeOnly);
      continue;
    }
    const mods = ts.canHaveModifiers(st) ? ts.getModifiers(st) : undefined;
    if (!mods?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) continue;
    if (ts.isVariableStatement(st)) for (const d of st.declarationList.declarations) bindingNames(d.name).forEach((n) => add(n, true));
    else if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st) || ts.isEnumDeclaration(st)) && st.name) add(st.name.text, true);
    else if ((ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st)) && st.name) add(st.name.text, false);
  }
  return { values, all };
}

interface Scan {
  /** Top-level names declared by the cell (value and type), without ones it already exports. */
  exportable: string[];
  /** Top-level value names (checked against built-in globals). */
  values: string[];
  identifiers: Set<string>;
  importsOptilab: boolean;
}

/** A syntactic look at the cell: what it declares and which names it mentions. */
function scanCell(sf: ts.SourceFile): Scan {
  const exportable: string[] = [];
  const values: string[] = [];
  const exported = new Set<string>();
  let importsOptilab = false;
  const isExported = (st: ts.Node) => ts.canHaveModifiers(st) && !!ts.getModifiers(st)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  for (const st of sf.statements) {
    const names: string[] = [];
    let value = true;
    if (ts.isVariableStatement(st)) for (const d of st.declarationList.declarations) bindingNames(d.name, names);
    else if (ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st) || ts.isEnumDeclaration(st)) {
      if (st.name) names.push(st.name.text);
    } else if (ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st)) {
      names.push(st.name.text);
      value = false;
    } else if (ts.isModuleDeclaration(st) && ts.isIdentifier(st.name)) names.push(st.name.text);
    else if (ts.isImportDeclaration(st)) {
      if (ts.isStringLiteral(st.moduleSpecifier) && st.moduleSpecifier.text === 'optilab') importsOptilab = true;
      const c = st.importClause;
      if (c?.name) names.push(c.name.text);
      if (c?.namedBindings) {
        if (ts.isNamespaceImport(c.namedBindings)) names.push(c.namedBindings.name.text);
        else for (const el of c.namedBindings.elements) names.push(el.name.text);
      }
      value = !c?.isTypeOnly;
    } else if (ts.isImportEqualsDeclaration(st)) names.push(st.name.text);
    else if (ts.isExportDeclaration(st) && st.exportClause && ts.isNamedExports(st.exportClause)) {
      for (const el of st.exportClause.elements) exported.add(el.name.text);
    }
    if (isExported(st)) names.forEach((n) => exported.add(n));
    for (const n of names) {
      if (!exportable.includes(n)) exportable.push(n);
      if (value && !values.includes(n)) values.push(n);
    }
  }
  const identifiers = new Set<string>();
  const walk = (n: ts.Node) => {
    if (ts.isIdentifier(n)) identifiers.add(n.text);
    n.forEachChild(walk);
  };
  walk(sf);
  return { exportable: exportable.filter((n) => !exported.has(n)), values, identifiers, importsOptilab };
}

const PRELUDE = `export {};
declare global {
  /** Asks the notebook user for one line of text (a Jupyter input request) and returns it. */
  function input(prompt?: string, options?: { password?: boolean }): string;
  /** Like the browser's prompt(): asks for one line of text; \`defaultValue\` when the answer is empty. */
  function prompt(message?: string, defaultValue?: string): string;
}
`;

export class CellChecker {
  private readonly dir: string;
  private readonly cellFile: string;
  private readonly virtual = new Map<string, string>();
  private readonly sourceCache = new Map<string, { key: string; sf: ts.SourceFile }>();
  private readonly decls = new DeclarationStore();
  private readonly host: ts.CompilerHost;
  private readonly resolutionCache: ts.ModuleResolutionCache;
  private readonly fallbackFile: string;
  private readonly tierRoots: string[][];
  private readonly library: { values: Set<string>; all: Set<string> };
  /** The declarations of the last compiled cell, until it runs. */
  private uncommitted: { cellNo: number; dts: string; tier: number } | undefined;
  /** Programs by tier, built on demand (a tier may be built before the ones below it). */
  private readonly programs: ({ program: ts.Program; key: string } | undefined)[] = [];

  constructor(private readonly opts: CheckerOptions) {
    this.dir = opts.notebookDir;
    this.cellFile = join(this.dir, '__optilab_cell__.ts');
    this.fallbackFile = join(opts.packageRoot, '__optilab_resolve__.ts');
    this.library = libraryExports(opts.libTypes);
    const base = ts.createCompilerHost(COMPILER_OPTIONS);
    this.resolutionCache = ts.createModuleResolutionCache(this.dir, (f) => f, COMPILER_OPTIONS);
    const isVirtual = (f: string) => this.virtual.has(f);
    this.host = {
      ...base,
      getCurrentDirectory: () => this.dir,
      fileExists: (f) => isVirtual(f) || base.fileExists(f),
      readFile: (f) => this.virtual.get(f) ?? base.readFile(f),
      getSourceFile: (f, lang) => this.sourceFile(f, lang),
      // Shares package.json lookups between programs (each cell makes a new program).
      getModuleResolutionCache: () => this.resolutionCache,
      resolveModuleNameLiterals: (literals, containingFile, redirected, options) =>
        literals.map((lit) => this.resolveModule(lit.text, containingFile, redirected, options)),
    };

    const prelude = join(this.dir, '__optilab_prelude__.d.ts');
    this.virtual.set(prelude, PRELUDE);
    const tiers: string[][] = [[prelude]];
    const nodeTypes = this.findNodeTypes();
    if (nodeTypes) tiers.push([nodeTypes]);
    if (this.library.all.size > 0) {
      const globals = join(this.dir, '__optilab_globals__.d.ts');
      this.virtual.set(globals, this.globalsText());
      tiers.push([globals]);
    }
    // Each tier includes the ones below it, and its own view of the cells' declarations.
    this.tierRoots = tiers.map((_, i) => [...tiers.slice(0, i + 1).flat(), this.declFile(i)]);
    this.syncDeclarationFiles();
  }

  private declFile(tier: number): string {
    return join(this.dir, `__optilab_cells_${tier}__.d.ts`);
  }

  /** The highest tier built so far (-1 before any). */
  get tier(): number {
    return this.programs.length - 1;
  }

  get maxTier(): number {
    return this.tierRoots.length - 1;
  }

  /** Preloaded value names (tf, optim, display, ...): a cell mentioning one needs the library loaded. */
  get preloadNames(): string[] {
    return [...this.library.values];
  }

  private findNodeTypes(): string | undefined {
    try {
      return createRequire(this.fallbackFile).resolve('@types/node/index.d.ts');
    } catch {
      return undefined;
    }
  }

  private globalsText(): string {
    const user = this.decls.names();
    const names = [...this.library.values].filter((n) => !user.has(n));
    return [
      `import * as __optilab_lib from 'optilab';`,
      `export {};`,
      `declare global {`,
      ...names.map((n) => `  export import ${n} = __optilab_lib.${n};`),
      `}`,
      '',
    ].join('\n');
  }

  private resolveModule(name: string, containingFile: string, redirected: ts.ResolvedProjectReference | undefined, options: ts.CompilerOptions) {
    const opts = name === 'optilab' ? { ...options, paths: { optilab: [this.opts.libTypes] } } : options;
    const first = ts.resolveModuleName(name, containingFile, opts, this.host, this.resolutionCache, redirected);
    if (first.resolvedModule || !this.virtualOrigin(containingFile)) return first;
    // Packages the notebook's folder lacks come from optilab's own dependencies (vega, arquero, ...).
    return ts.resolveModuleName(name, this.fallbackFile, opts, this.host, this.resolutionCache, redirected);
  }

  private virtualOrigin(file: string): boolean {
    return this.virtual.has(file) || dirname(file) === this.dir;
  }

  private sourceFile(fileName: string, lang: ts.ScriptTarget | ts.CreateSourceFileOptions): ts.SourceFile | undefined {
    let text: string | undefined;
    let key: string;
    const v = this.virtual.get(fileName);
    if (v !== undefined) {
      text = v;
      key = v;
    } else {
      // Files outside node_modules may be edited during a session (a helper module next to the notebook).
      const stable = fileName.includes('/node_modules/') || fileName.startsWith(dirname(ts.getDefaultLibFilePath(COMPILER_OPTIONS)));
      try {
        key = stable ? 'stable' : String(statSync(fileName).mtimeMs);
      } catch {
        return undefined;
      }
    }
    const hit = this.sourceCache.get(fileName);
    if (hit && hit.key === key) return hit.sf;
    text ??= this.host.readFile(fileName);
    if (text === undefined) return undefined;
    const sf = ts.createSourceFile(fileName, text, lang, false);
    this.sourceCache.set(fileName, { key, sf });
    return sf;
  }

  /** The program for `tier` with the cell file holding `text`. The root files stay fixed within a tier, so TypeScript reuses the program's structure and re-parses only what changed. */
  private programFor(text: string, tier: number): ts.Program {
    this.virtual.set(this.cellFile, text);
    const rootNames = [...this.tierRoots[tier], this.cellFile];
    const key = rootNames.map((f) => this.virtual.get(f) ?? '').join('\0');
    const old = this.programs[tier];
    if (old && old.key === key) return old.program;
    const program = ts.createProgram({ rootNames, options: COMPILER_OPTIONS, host: this.host, oldProgram: old?.program });
    this.programs[tier] = { program, key };
    return program;
  }

  /** Builds the lowest tier not built yet, ahead of need; returns false when all are built. */
  warmNextTier(): boolean {
    const next = this.programs.findIndex((p) => p === undefined);
    const tier = next >= 0 ? next : this.programs.length;
    if (tier > this.maxTier) return false;
    const p = this.programFor('export {};\n', tier);
    p.getGlobalDiagnostics(); // binds every file and builds the checker
    return true;
  }

  /** Type-checks and compiles one cell. `label` names the cell in messages ("In [3]"). */
  compile(code: string, label: string, cellNo: number): CompiledCell | CompileFailure {
    const fileName = this.cellFile;
    const parsed = ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, true);
    const scan = scanCell(parsed);
    const clash = scan.values.find((n) => BUILTIN_GLOBALS.has(n) || n === CELL_API);
    if (clash) {
      const at = code.search(new RegExp(`\\b${clash}\\b`));
      const { line, column } = lineAndColumn(code, Math.max(0, at));
      return {
        ok: false,
        error: {
          ename: 'DeclarationError',
          evalue: `'${clash}' is a built-in global; a cell's top level cannot redeclare it (rename it, or declare it inside a block)`,
          traceback: [`DeclarationError: '${clash}' is a built-in global; a cell's top level cannot redeclare it`, `${label}, line ${line}, column ${column}:`, ...sourceExcerpt(code, line, column, clash.length)],
        },
      };
    }
    const needsLibrary = scan.importsOptilab || [...this.library.values].some((n) => scan.identifiers.has(n));
    const text = code + '\nexport {};\n' + (scan.exportable.length ? `export { ${scan.exportable.join(', ')} };\n` : '');
    // Start in the lowest tier that can see every earlier declaration the cell mentions.
    let tier = needsLibrary ? this.maxTier : 0;
    for (const id of scan.identifiers) tier = Math.max(tier, this.decls.tierOf(id) ?? 0);
    let program: ts.Program;
    let diagnostics: readonly ts.Diagnostic[];
    for (;;) {
      program = this.programFor(text, tier);
      const sf = program.getSourceFile(fileName)!;
      const syntax = program.getSyntacticDiagnostics(sf);
      diagnostics = syntax.length ? syntax : program.getSemanticDiagnostics(sf).filter((d) => d.category === ts.DiagnosticCategory.Error);
      if (diagnostics.length === 0 || syntax.length || tier >= this.maxTier) break;
      tier++;
    }
    diagnostics = diagnostics.filter((d) => d.start === undefined || d.start < code.length);
    if (diagnostics.length) return { ok: false, error: formatDiagnostics(diagnostics, code, label) };

    const result: TransformResult = { declares: new Set(), returnsValue: false };
    let js = '';
    let sourceMap = '';
    let dts = '';
    program.emit(
      program.getSourceFile(fileName),
      (name, data) => {
        if (name.endsWith('.d.ts')) dts = data;
        else if (name.endsWith('.map')) sourceMap = data;
        else if (name.endsWith('.js')) js = data.replace(/\n?\/\/# sourceMappingURL=.*\s*$/, '\n');
      },
      undefined,
      false,
      { after: [topLevelTransformer(result)] },
    );
    this.uncommitted = { cellNo, dts, tier };
    return { ok: true, js, sourceMap, declares: [...result.declares], needsLibrary, tier };
  }

  /**
   * Makes a compiled cell's declarations visible to later cells. Called when the cell
   * is about to run: a cell interrupted before it ran declares nothing.
   */
  commit(cellNo: number): void {
    if (this.uncommitted?.cellNo !== cellNo) return;
    const { dts, tier } = this.uncommitted;
    this.uncommitted = undefined;
    this.decls.commit(cellNo, dts, tier);
    this.syncDeclarationFiles();
  }

  private syncDeclarationFiles(): void {
    for (let t = 0; t <= this.maxTier; t++) this.virtual.set(this.declFile(t), this.decls.render(t));
    const globals = join(this.dir, '__optilab_globals__.d.ts');
    if (this.virtual.has(globals)) this.virtual.set(globals, this.globalsText());
  }

  /** Forgets every cell's declarations (the executor restarted with a fresh state). */
  reset(): void {
    this.uncommitted = undefined;
    this.decls.clear();
    this.syncDeclarationFiles();
  }

  /** A program holding `code` as the cell being edited, in the top tier (for completion and inspection). */
  editorProgram(code: string): { program: ts.Program; sf: ts.SourceFile; checker: ts.TypeChecker } {
    const program = this.programFor(code + '\nexport {};\n', this.maxTier);
    return { program, sf: program.getSourceFile(this.cellFile)!, checker: program.getTypeChecker() };
  }
}

/** Diagnostics as one Jupyter error: the first message as evalue, every diagnostic with its source line. */
export function formatDiagnostics(diagnostics: readonly ts.Diagnostic[], code: string, label: string): ErrorContent {
  const syntax = diagnostics.every((d) => d.code >= 1000 && d.code < 2000);
  const ename = syntax ? 'SyntaxError' : 'TypeScriptError';
  const traceback: string[] = [];
  let evalue = '';
  for (const d of diagnostics) {
    const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    const where = d.start !== undefined ? lineAndColumn(code, d.start) : undefined;
    if (!evalue) evalue = where ? `${message} (TS${d.code}, line ${where.line}, column ${where.column})` : `${message} (TS${d.code})`;
    traceback.push(`${ename}: TS${d.code}: ${message}`);
    if (where) {
      traceback.push(`${label}, line ${where.line}, column ${where.column}:`);
      traceback.push(...sourceExcerpt(code, where.line, where.column, d.length ?? 1));
    }
    traceback.push('');
  }
  if (diagnostics.length > 1) evalue += ` (and ${diagnostics.length - 1} more)`;
  while (traceback.length && traceback[traceback.length - 1] === '') traceback.pop();
  return { ename, evalue, traceback };
}
