// SJS modules (`.sjs`, ES-module syntax) → a function body the view runs with `module`, `exports` and
// `require`, as the platform runs SJS in its render thread. acorn finds the `import`/`export` statements;
// they are rewritten in place on their own lines, so line numbers in the view's stack traces stay right.
import { parse, type Node as AcornNode } from 'acorn';
import type { PreviewProblem } from './browser/shared/ir';
import { joinInside } from './internal/paths';

type AnyNode = AcornNode & Record<string, any>;

export interface SjsResult {
  code: string;
  /** The SJS files this one imports, resolved inside the folder. */
  imports: string[];
  problems: PreviewProblem[];
}

export function transformSjs(path: string, source: string, exists: (path: string) => boolean): SjsResult {
  const problems: PreviewProblem[] = [];
  let program: AnyNode;
  try {
    program = parse(source, { ecmaVersion: 2022, sourceType: 'module', locations: true }) as AnyNode;
  } catch (error) {
    const loc = (error as { loc?: { line: number; column: number } }).loc;
    problems.push({
      code: 'SJS_SYNTAX',
      file: path,
      ...(loc ? { line: loc.line, column: loc.column + 1 } : {}),
      message: `${path} does not parse: ${(error as Error).message.replace(/ \(\d+:\d+\)$/, '')}`,
    });
    return { code: '', imports: [], problems };
  }
  const edits: Array<{ start: number; end: number; text: string }> = [];
  const imports: string[] = [];
  const exported: string[] = [];
  for (const node of program.body as AnyNode[]) {
    if (node.type === 'ImportDeclaration') {
      const spec = String(node.source.value);
      const target = joinInside(path, spec);
      if (target === undefined || !target.endsWith('.sjs') || !exists(target)) {
        problems.push({
          code: 'MISSING_FILE',
          file: path,
          line: node.loc?.start.line ?? 1,
          message: `import '${spec}' in ${path}: ${target ?? spec} is not an .sjs file of the folder`,
        });
        edits.push({ start: node.start, end: node.end, text: '' });
        continue;
      }
      imports.push(target);
      const required = `require(${JSON.stringify(target)})`;
      const parts = (node.specifiers as AnyNode[]).map((specifier) => {
        if (specifier.type === 'ImportDefaultSpecifier' || specifier.type === 'ImportNamespaceSpecifier')
          return `var ${specifier.local.name} = ${required};`;
        return `var ${specifier.local.name} = ${required}[${JSON.stringify(specifier.imported.name ?? specifier.imported.value)}];`;
      });
      edits.push({ start: node.start, end: node.end, text: parts.join(' ') || `${required};` });
    } else if (node.type === 'ExportDefaultDeclaration') {
      edits.push({ start: node.start, end: node.declaration.start, text: 'module.exports = ' });
    } else if (node.type === 'ExportNamedDeclaration') {
      if (node.source || !node.declaration) {
        problems.push({
          code: 'SJS_SYNTAX',
          file: path,
          line: node.loc?.start.line ?? 1,
          message: `${path}: only export default and export of declarations are supported in SJS`,
        });
        continue;
      }
      edits.push({ start: node.start, end: node.declaration.start, text: '' });
      const declaration = node.declaration as AnyNode;
      if (declaration.type === 'VariableDeclaration') {
        for (const declarator of declaration.declarations as AnyNode[])
          if (declarator.id.type === 'Identifier') exported.push(declarator.id.name);
      } else if (declaration.id) {
        exported.push(declaration.id.name);
      }
    }
  }
  let code = source;
  for (const edit of edits.sort((a, b) => b.start - a.start))
    code = code.slice(0, edit.start) + edit.text + code.slice(edit.end);
  if (exported.length)
    code += `\n${exported.map((name) => `module.exports[${JSON.stringify(name)}] = ${name};`).join(' ')}`;
  return { code, imports, problems };
}
