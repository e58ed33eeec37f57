/**
 * Editor help from the type checker: completion (members of the expression before a
 * dot, else names in scope), inspection (type and documentation of the name under
 * the cursor) and is-complete (whether a console should run the code or wait for more).
 * Positions here are UTF-16 offsets; the kernel converts Jupyter's code points.
 */
import ts = require('typescript');

export interface Completion {
  matches: string[];
  cursor_start: number;
  cursor_end: number;
  types: { start: number; end: number; text: string; type: string }[];
}

const KEYWORDS = [
  'await', 'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else', 'enum',
  'export', 'extends', 'false', 'finally', 'for', 'function', 'if', 'import', 'in', 'instanceof', 'interface', 'let', 'new',
  'null', 'return', 'super', 'switch', 'this', 'throw', 'true', 'try', 'type', 'typeof', 'undefined', 'var', 'void', 'while',
  'yield', 'async', 'of', 'as', 'keyof', 'readonly',
];

const isIdentChar = (c: string) => /[\p{L}\p{N}_$\u200c\u200d]/u.test(c);

/** The innermost token-level node that contains `pos` (or ends right at it). */
function nodeAt(sf: ts.SourceFile, pos: number): ts.Node | undefined {
  let found: ts.Node | undefined;
  const visit = (n: ts.Node) => {
    if (n.getStart(sf) <= pos && pos <= n.end) {
      found = n;
      n.forEachChild(visit);
    }
  };
  sf.forEachChild(visit);
  return found;
}

function kindOf(symbol: ts.Symbol): string {
  const f = symbol.flags;
  if (f & ts.SymbolFlags.Class) return 'class';
  if (f & (ts.SymbolFlags.Function | ts.SymbolFlags.Method)) return 'function';
  if (f & (ts.SymbolFlags.Module | ts.SymbolFlags.Alias)) return 'module';
  if (f & (ts.SymbolFlags.Interface | ts.SymbolFlags.TypeAlias | ts.SymbolFlags.Enum)) return 'type';
  if (f & ts.SymbolFlags.Property) return 'property';
  return 'instance';
}

export function complete(sf: ts.SourceFile, checker: ts.TypeChecker, pos: number): Completion {
  const text = sf.text;
  let start = pos;
  while (start > 0 && isIdentChar(text[start - 1])) start--;
  const prefix = text.slice(start, pos);
  let symbols: ts.Symbol[];
  let keywords: string[] = [];

  let before = start;
  while (before > 0 && /\s/.test(text[before - 1])) before--;
  const afterDot = text[before - 1] === '.' && text[before - 2] !== '.';
  if (afterDot) {
    const access = nodeAt(sf, before - 1);
    const owner = access && (ts.isPropertyAccessExpression(access) ? access : ts.findAncestor(access, ts.isPropertyAccessExpression));
    if (!owner) return { matches: [], cursor_start: start, cursor_end: pos, types: [] };
    const target = owner.expression;
    const type = checker.getTypeAtLocation(target);
    symbols = checker.getPropertiesOfType(checker.getApparentType(checker.getNonNullableType(type)));
    const sym = checker.getSymbolAtLocation(target);
    if (sym && sym.flags & ts.SymbolFlags.Alias) {
      const resolved = checker.getAliasedSymbol(sym);
      if (resolved.flags & (ts.SymbolFlags.Module | ts.SymbolFlags.Namespace)) {
        for (const e of checker.getExportsOfModule(resolved)) if (!symbols.includes(e)) symbols.push(e);
      }
    }
  } else {
    const location = nodeAt(sf, Math.max(0, start - 1)) ?? sf;
    symbols = checker.getSymbolsInScope(location, ts.SymbolFlags.Value | ts.SymbolFlags.Type | ts.SymbolFlags.Namespace | ts.SymbolFlags.Alias);
    keywords = KEYWORDS.filter((k) => k.startsWith(prefix));
  }
  const seen = new Set<string>();
  const entries: { name: string; type: string }[] = [];
  for (const s of symbols) {
    const name = s.getName();
    if (!name.startsWith(prefix) || seen.has(name) || name.startsWith('__optilab') || name.startsWith('__@') || name === 'default') continue;
    seen.add(name);
    entries.push({ name, type: kindOf(s) });
  }
  for (const k of keywords) if (!seen.has(k)) entries.push({ name: k, type: 'keyword' });
  entries.sort((a, b) => Number(a.name.startsWith('_')) - Number(b.name.startsWith('_')) || a.name.localeCompare(b.name));
  return {
    matches: entries.map((e) => e.name),
    cursor_start: start,
    cursor_end: pos,
    types: entries.map((e) => ({ start, end: pos, text: e.name, type: e.type })),
  };
}

export interface Inspection {
  found: boolean;
  /** Signature or type line, e.g. `(method) Math.floor(x: number): number`. */
  signature: string;
  documentation: string;
}

/** Type and documentation of the identifier at (or just before) `pos`. */
export function inspect(sf: ts.SourceFile, checker: ts.TypeChecker, pos: number, detail: number): Inspection {
  const text = sf.text;
  let p = pos;
  if (p > 0 && !isIdentChar(text[p] ?? '') && isIdentChar(text[p - 1])) p--;
  let node = nodeAt(sf, p);
  while (node && !ts.isIdentifier(node) && node.getChildCount(sf) > 0) {
    const child: ts.Node | undefined = node.getChildren(sf).find((c) => c.getStart(sf) <= p && p <= c.end);
    if (!child) break;
    node = child;
  }
  if (!node || !ts.isIdentifier(node)) return { found: false, signature: '', documentation: '' };
  let symbol = checker.getSymbolAtLocation(node);
  if (!symbol) return { found: false, signature: '', documentation: '' };
  if (symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  const name = ts.isPropertyAccessExpression(node.parent) && node.parent.name === node ? `${node.parent.expression.getText(sf)}.${node.text}` : node.text;
  const type = checker.getTypeOfSymbolAtLocation(symbol, node);
  const flags = ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.UseFullyQualifiedType;
  const lines: string[] = [];
  const f = symbol.flags;
  if (f & (ts.SymbolFlags.Function | ts.SymbolFlags.Method)) {
    const kind = f & ts.SymbolFlags.Method ? '(method)' : 'function';
    for (const sig of type.getCallSignatures()) lines.push(`${kind} ${name}${checker.signatureToString(sig, undefined, flags)}`);
  } else if (f & ts.SymbolFlags.Class) {
    lines.push(`class ${name}`);
    const ctor = checker.getTypeOfSymbolAtLocation(symbol, node);
    for (const sig of ctor.getConstructSignatures()) lines.push(`new ${name}${checker.signatureToString(sig, undefined, flags)}`);
  } else if (f & (ts.SymbolFlags.Interface | ts.SymbolFlags.TypeAlias)) {
    lines.push(`type ${name} = ${checker.typeToString(checker.getDeclaredTypeOfSymbol(symbol), undefined, flags)}`);
  } else if (f & (ts.SymbolFlags.Module | ts.SymbolFlags.Namespace) && !(f & ts.SymbolFlags.Variable)) {
    const members = checker.getExportsOfModule(symbol).map((s) => s.getName()).filter((n) => !n.startsWith('_')).sort();
    lines.push(`namespace ${name}`);
    if (members.length) lines.push(`  exports: ${members.join(', ')}`);
  } else {
    const kind = f & ts.SymbolFlags.Property ? '(property)' : symbol.valueDeclaration && ts.getCombinedNodeFlags(symbol.valueDeclaration) & ts.NodeFlags.Const ? 'const' : 'let';
    lines.push(`${kind} ${name}: ${checker.typeToString(type, node, flags)}`);
  }
  const doc = ts.displayPartsToString(symbol.getDocumentationComment(checker));
  const tags = symbol.getJsDocTags(checker).map((t) => `@${t.name}${t.text ? ' ' + ts.displayPartsToString(t.text) : ''}`);
  const documentation = [doc, ...(detail > 0 || !doc ? tags : [])].filter(Boolean).join('\n');
  return { found: true, signature: lines.join('\n'), documentation };
}

export type CompletenessStatus = 'complete' | 'incomplete' | 'invalid';

/** Whether `code` is ready to run: incomplete when every syntax error sits at its end. */
export function isComplete(code: string): { status: CompletenessStatus; indent?: string } {
  const out = ts.transpileModule(code, { reportDiagnostics: true, compilerOptions: { target: ts.ScriptTarget.ESNext } });
  const errors = out.diagnostics ?? [];
  if (errors.length === 0) return { status: 'complete' };
  const end = code.trimEnd().length;
  // An unterminated string cannot be continued on the next line.
  const atEnd = errors.every((d) => (d.start ?? 0) >= end && d.code !== 1002);
  if (!atEnd) return { status: 'invalid' };
  const lastLine = code.slice(code.lastIndexOf('\n') + 1);
  const indent = lastLine.match(/^\s*/)![0] + (/[{([]\s*$/.test(code.trimEnd()) ? '  ' : '');
  return { status: 'incomplete', indent };
}
