/**
 * Declarations carried from cell to cell for the type checker.
 *
 * After a cell passes the checker, TypeScript emits its declarations (`.d.ts`); each
 * top-level statement of that output becomes a global declaration that later cells
 * see. A later cell that declares the same name (in the same meaning: value, type or
 * namespace) replaces the earlier declaration, so re-running or editing a cell never
 * conflicts with its previous run. Imports become global aliases:
 *
 *   import * as vg from 'vega'   ->   import * as __optilab_3_vg from 'vega';
 *                                     declare global { export import vg = __optilab_3_vg; }
 */
import ts = require('typescript');

const VALUE = 1;
const TYPE = 2;
const NAMESPACE = 4;

interface Entry {
  name: string;
  meanings: number;
  /** The statement as it appears inside `declare global { ... }`. */
  text: string;
}

interface CellDeclarations {
  /** The checker tier the cell passed in: its declarations only mention names of that tier or below. */
  tier: number;
  /** Module-level statements of the file (renamed imports, module augmentations). */
  moduleText: string[];
  entries: Entry[];
}

function meaningsOf(node: ts.Statement): number {
  if (ts.isVariableStatement(node) || ts.isFunctionDeclaration(node)) return VALUE;
  if (ts.isClassDeclaration(node) || ts.isEnumDeclaration(node)) return VALUE | TYPE;
  if (ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node)) return TYPE;
  if (ts.isModuleDeclaration(node)) return VALUE | NAMESPACE;
  return VALUE | TYPE | NAMESPACE;
}

/** Statement text without `export`/`declare`/`default`, keeping its leading doc comment. */
function strippedText(node: ts.Statement, sf: ts.SourceFile): string {
  const mods = ts.canHaveModifiers(node) ? ts.getModifiers(node) : undefined;
  const lead = sf.text.slice(node.pos, node.getStart(sf));
  const doc = lead.match(/\/\*\*[\s\S]*?\*\/\s*$/)?.[0] ?? '';
  const bodyStart = mods && mods.length ? mods[mods.length - 1].end : node.getStart(sf);
  return (doc + sf.text.slice(bodyStart, node.end).trim()).trim();
}

/** Splits one cell's emitted `.d.ts` into module-level text and replaceable global entries. */
export function parseCellDeclarations(dts: string, cellNo: number, tier: number): CellDeclarations {
  const sf = ts.createSourceFile('cell.d.ts', dts, ts.ScriptTarget.Latest, true);
  const out: CellDeclarations = { tier, moduleText: [], entries: [] };
  const alias = (name: string) => `__optilab_${cellNo}_${name}`;
  const aliasEntry = (name: string) => out.entries.push({ name, meanings: VALUE | TYPE | NAMESPACE, text: `export import ${name} = ${alias(name)};` });

  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st)) {
      const spec = st.moduleSpecifier.getText(sf);
      const clause = st.importClause;
      if (!clause) {
        out.moduleText.push(st.getText(sf));
        continue;
      }
      const parts: string[] = [];
      if (clause.name) {
        parts.push(alias(clause.name.text));
        aliasEntry(clause.name.text);
      }
      const b = clause.namedBindings;
      if (b && ts.isNamespaceImport(b)) {
        parts.push(`* as ${alias(b.name.text)}`);
        aliasEntry(b.name.text);
      } else if (b) {
        const named = b.elements.map((el) => {
          aliasEntry(el.name.text);
          return `${(el.propertyName ?? el.name).getText(sf)} as ${alias(el.name.text)}`;
        });
        parts.push(`{ ${named.join(', ')} }`);
      }
      // `import type` cannot back an `export import` alias; in a .d.ts a plain import is equivalent.
      out.moduleText.push(`import ${parts.join(', ')} from ${spec};`);
      continue;
    }
    if (ts.isImportEqualsDeclaration(st)) {
      const ref = st.moduleReference.getText(sf);
      out.moduleText.push(`import ${alias(st.name.text)} = ${ref};`);
      aliasEntry(st.name.text);
      continue;
    }
    if (ts.isExportDeclaration(st) || ts.isExportAssignment(st)) continue;
    if (ts.isModuleDeclaration(st) && (st.flags & ts.NodeFlags.GlobalAugmentation || ts.isStringLiteral(st.name))) {
      out.moduleText.push(st.getText(sf)); // `declare global {}` / `declare module 'x' {}` written by the user
      continue;
    }
    if (ts.isVariableStatement(st)) {
      const list = st.declarationList;
      const kw = list.flags & ts.NodeFlags.Const ? 'const' : list.flags & ts.NodeFlags.Let ? 'let' : 'var';
      for (const d of list.declarations) {
        if (ts.isIdentifier(d.name)) out.entries.push({ name: d.name.text, meanings: VALUE, text: `${kw} ${d.getText(sf)};` });
      }
      continue;
    }
    const named = st as ts.Statement & { name?: ts.Node };
    if (named.name && ts.isIdentifier(named.name)) {
      out.entries.push({ name: named.name.text, meanings: meaningsOf(st), text: strippedText(st, sf) });
    }
  }
  return out;
}

/** All cells' declarations, newest winning. */
export class DeclarationStore {
  private readonly cells = new Map<number, CellDeclarations>();

  /** Adds a cell's declarations, removing earlier declarations they replace. */
  commit(cellNo: number, dts: string, tier: number): void {
    const next = parseCellDeclarations(dts, cellNo, tier);
    for (const [no, cell] of this.cells) {
      cell.entries = cell.entries.filter((old) => !next.entries.some((e) => e.name === old.name && (e.meanings & old.meanings) !== 0));
      if (cell.entries.length === 0 && cell.moduleText.every((t) => t.startsWith('import '))) this.cells.delete(no);
    }
    this.cells.set(cellNo, next);
  }

  clear(): void {
    this.cells.clear();
  }

  /** The tier a name's current declaration was checked in (undefined when no cell declares it). */
  tierOf(name: string): number | undefined {
    let tier: number | undefined;
    for (const cell of this.cells.values()) if (cell.entries.some((e) => e.name === name)) tier = Math.max(tier ?? 0, cell.tier);
    return tier;
  }

  /** Names declared by cells (they shadow the preloaded globals). */
  names(): Set<string> {
    const s = new Set<string>();
    for (const cell of this.cells.values()) for (const e of cell.entries) s.add(e.name);
    return s;
  }

  /**
   * The declaration file of checker tier `tier`: every cell checked in that tier or
   * below (one fixed file keeps the program's structure reusable between cells).
   */
  render(tier: number): string {
    const moduleText: string[] = [];
    const body: string[] = [];
    for (const cell of this.cells.values()) {
      if (cell.tier > tier) continue;
      moduleText.push(...cell.moduleText);
      for (const e of cell.entries) body.push('  ' + e.text.replace(/\n/g, '\n  '));
    }
    return `${moduleText.join('\n')}\nexport {};\ndeclare global {\n${body.join('\n')}\n}\n`;
  }
}
