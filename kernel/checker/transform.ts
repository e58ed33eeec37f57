/**
 * Rewrites a compiled cell so that its top level persists across cells.
 *
 * A cell runs as the body of `async function (__optilab) { ... }`, so `await` works at
 * the top level. Declarations would die with that function, so they become assignments
 * to global bindings instead (the executor creates the globals first):
 *
 *   const x = 1                 ->  x = 1
 *   let {a, b: [c]} = o         ->  ({a, b: [c]} = o)
 *   function f() {}             ->  f = function f() {}          (hoisted to the top)
 *   class A {}                  ->  A = class A {}
 *   import * as vg from 'vega'  ->  vg = await __optilab.import("vega")   (hoisted)
 *   import(x), import.meta      ->  __optilab.import(x), __optilab.meta
 *   last expression statement   ->  return [expression]
 *
 * Re-running `const x = 1` is then an assignment, never "already declared". The
 * transformer runs after TypeScript's own (types are gone), so it sees plain JS.
 */
import ts = require('typescript');

export const CELL_API = '__optilab';

export interface TransformResult {
  /** Top-level names the cell declares (the executor creates these globals before running it). */
  declares: Set<string>;
  /** True when the cell ends with an expression whose value is returned. */
  returnsValue: boolean;
}

/** The identifiers a binding pattern declares. */
export function bindingNames(name: ts.BindingName, out: string[] = []): string[] {
  if (ts.isIdentifier(name)) out.push(name.text);
  else {
    for (const el of name.elements) {
      if (!ts.isOmittedExpression(el)) bindingNames(el.name, out);
    }
  }
  return out;
}

function withoutModifiers<T extends ts.ModifierLike>(mods: readonly T[] | undefined, drop: ts.SyntaxKind[]): T[] | undefined {
  const kept = mods?.filter((m) => !drop.includes(m.kind));
  return kept && kept.length ? kept : undefined;
}

const DECLARATION_MODIFIERS = [ts.SyntaxKind.ExportKeyword, ts.SyntaxKind.DefaultKeyword, ts.SyntaxKind.DeclareKeyword];

export function topLevelTransformer(result: TransformResult): ts.TransformerFactory<ts.SourceFile> {
  return (ctx) => (sf) => {
    const f = ctx.factory;
    const api = () => f.createIdentifier(CELL_API);

    /** `await __optilab.import(spec, options?)` */
    const awaitImport = (spec: ts.Expression, attributes?: ts.ImportAttributes) => {
      const args: ts.Expression[] = [spec];
      if (attributes) {
        args.push(
          f.createObjectLiteralExpression([
            f.createPropertyAssignment(
              'with',
              f.createObjectLiteralExpression(
                attributes.elements.map((a) => f.createPropertyAssignment(ts.isIdentifier(a.name) ? a.name.text : f.createStringLiteral(a.name.text), a.value)),
              ),
            ),
          ]),
        );
      }
      return f.createAwaitExpression(f.createCallExpression(f.createPropertyAccessExpression(api(), 'import'), undefined, args));
    };
    const assign = (target: ts.Expression, value: ts.Expression, original: ts.Node): ts.Statement => {
      const expr = f.createAssignment(target, value);
      const st = f.createExpressionStatement(ts.isObjectLiteralExpression(target) ? f.createParenthesizedExpression(expr) : expr);
      ts.setTextRange(st, original);
      ts.setOriginalNode(st, original);
      return st;
    };
    const declare = (name: string) => {
      result.declares.add(name);
      return f.createIdentifier(name);
    };

    /** Binding pattern -> assignment pattern, declaring every name it binds. */
    const toTarget = (name: ts.BindingName): ts.Expression => {
      if (ts.isIdentifier(name)) return declare(name.text);
      if (ts.isObjectBindingPattern(name)) {
        return f.createObjectLiteralExpression(
          name.elements.map((el): ts.ObjectLiteralElementLike => {
            if (el.dotDotDotToken) return f.createSpreadAssignment(toTarget(el.name));
            if (!el.propertyName && ts.isIdentifier(el.name)) {
              return f.createShorthandPropertyAssignment(declare(el.name.text), el.initializer);
            }
            const target = toTarget(el.name);
            return f.createPropertyAssignment(el.propertyName ?? (el.name as ts.Identifier), el.initializer ? f.createAssignment(target, el.initializer) : target);
          }),
        );
      }
      return f.createArrayLiteralExpression(
        name.elements.map((el) => {
          if (ts.isOmittedExpression(el)) return el;
          const target = toTarget(el.name);
          if (el.dotDotDotToken) return f.createSpreadElement(target);
          return el.initializer ? f.createAssignment(target, el.initializer) : target;
        }),
      );
    };

    const imports: ts.Statement[] = [];
    const functions: ts.Statement[] = [];
    const body: ts.Statement[] = [];
    const converted = new Set<ts.Statement>();

    for (const st of sf.statements) {
      if (ts.isImportDeclaration(st)) {
        const clause = st.importClause;
        if (clause?.isTypeOnly) continue;
        const load = awaitImport(st.moduleSpecifier, st.attributes);
        if (!clause) {
          imports.push(ts.setTextRange(f.createExpressionStatement(load), st));
          continue;
        }
        const bindings = clause.namedBindings;
        if (bindings && ts.isNamespaceImport(bindings)) {
          const ns = bindings.name.text;
          imports.push(assign(declare(ns), load, st));
          if (clause.name) imports.push(assign(declare(clause.name.text), f.createPropertyAccessExpression(f.createIdentifier(ns), 'default'), st));
          continue;
        }
        const props: ts.ObjectLiteralElementLike[] = [];
        if (clause.name) props.push(f.createPropertyAssignment('default', declare(clause.name.text)));
        if (bindings && ts.isNamedImports(bindings)) {
          for (const el of bindings.elements) {
            if (el.isTypeOnly) continue;
            const local = declare(el.name.text);
            props.push(el.propertyName ? f.createPropertyAssignment(el.propertyName, local) : f.createShorthandPropertyAssignment(local));
          }
        }
        imports.push(props.length ? assign(f.createObjectLiteralExpression(props), load, st) : ts.setTextRange(f.createExpressionStatement(load), st));
        continue;
      }
      if (ts.isImportEqualsDeclaration(st)) {
        if (st.isTypeOnly) continue;
        const ref = st.moduleReference;
        const value = ts.isExternalModuleReference(ref)
          ? f.createCallExpression(f.createPropertyAccessExpression(api(), 'require'), undefined, [ref.expression])
          : (ref as ts.Expression);
        imports.push(assign(declare(st.name.text), value, st));
        continue;
      }
      if (ts.isExportDeclaration(st)) continue;
      if (ts.isExportAssignment(st)) {
        body.push(ts.setTextRange(f.createExpressionStatement(st.expression), st));
        continue;
      }
      if (ts.isVariableStatement(st)) {
        const isVar = (st.declarationList.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const)) === 0;
        for (const d of st.declarationList.declarations) {
          let out: ts.Statement | undefined;
          if (d.initializer) out = assign(toTarget(d.name), d.initializer, d);
          else if (isVar) bindingNames(d.name).forEach(declare); // `var x;` keeps an existing value, as in JS
          else out = assign(toTarget(d.name), f.createIdentifier('undefined'), d);
          if (out) {
            converted.add(out);
            body.push(out);
          }
        }
        continue;
      }
      if (ts.isFunctionDeclaration(st)) {
        if (!st.body) continue;
        if (!st.name) {
          body.push(st); // `export default function () {}`: nothing to bind
          continue;
        }
        const fn = f.createFunctionExpression(
          withoutModifiers(st.modifiers, DECLARATION_MODIFIERS) as ts.Modifier[] | undefined,
          st.asteriskToken,
          st.name,
          st.typeParameters,
          st.parameters,
          st.type,
          st.body,
        );
        ts.setTextRange(fn, st);
        functions.push(assign(declare(st.name.text), fn, st));
        continue;
      }
      if (ts.isClassDeclaration(st) && st.name) {
        const cls = f.createClassExpression(
          withoutModifiers(st.modifiers, DECLARATION_MODIFIERS),
          st.name,
          st.typeParameters,
          st.heritageClauses,
          st.members,
        );
        ts.setTextRange(cls, st);
        const out = assign(declare(st.name.text), cls, st);
        converted.add(out);
        body.push(out);
        continue;
      }
      body.push(st);
    }

    const last = body[body.length - 1];
    if (last && ts.isExpressionStatement(last) && !converted.has(last)) {
      const ret = f.createReturnStatement(f.createArrayLiteralExpression([last.expression]));
      ts.setTextRange(ret, last);
      body[body.length - 1] = ret;
      result.returnsValue = true;
    }

    let statements = [...imports, ...functions, ...body];
    if (/\bimport\b/.test(sf.text)) statements = statements.map((s) => rewriteImportExpressions(s, ctx));
    return f.updateSourceFile(sf, statements);
  };
}

/** `import(x)` -> `__optilab.import(x)` and `import.meta` -> `__optilab.meta`, anywhere in the cell. */
function rewriteImportExpressions<T extends ts.Node>(node: T, ctx: ts.TransformationContext): T {
  const f = ctx.factory;
  const visit = (n: ts.Node): ts.Node => {
    if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword) {
      return f.updateCallExpression(
        n,
        f.createPropertyAccessExpression(f.createIdentifier(CELL_API), 'import'),
        undefined,
        ts.visitNodes(n.arguments, visit, ts.isExpression),
      );
    }
    if (ts.isMetaProperty(n) && n.keywordToken === ts.SyntaxKind.ImportKeyword) {
      return f.createPropertyAccessExpression(f.createIdentifier(CELL_API), 'meta');
    }
    return ts.visitEachChild(n, visit, ctx);
  };
  return visit(node) as T;
}
