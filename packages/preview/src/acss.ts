// ACSS → the CSS of a page's document: `@import` inlined (relative to the importing file), `rpx` turned
// into px at the preview's width (750rpx = the width). The `page` selector needs nothing: the view renders
// each page's root as a <page> element.
import type { PreviewProblem } from './browser/shared/ir';
import { joinInside } from './internal/paths';

/** 750rpx is the device width. */
export function rpxToPx(css: string, width: number): string {
  return css.replace(/(^|[^\w.#-])(-?(?:\d+\.?\d*|\.\d+))rpx\b/g, (_all, before: string, number: string) => {
    const px = Math.round(((Number(number) * width) / 750) * 10000) / 10000;
    return `${before}${px}px`;
  });
}

export function compileAcss(
  path: string,
  read: (path: string) => string | undefined,
  width: number,
  problems: PreviewProblem[],
): string {
  return rpxToPx(inlineImports(path, read, problems, []), width);
}

function inlineImports(
  path: string,
  read: (path: string) => string | undefined,
  problems: PreviewProblem[],
  chain: string[],
): string {
  const source = read(path);
  if (source === undefined) return '';
  const lines = source.split('\n');
  return lines
    .map((line, index) =>
      line.replace(/@import\s+(?:url\(\s*)?(['"])([^'"]+)\1\s*\)?\s*;?/g, (_all, _quote: string, spec: string) => {
        const target = joinInside(path, spec);
        if (target === undefined || read(target) === undefined) {
          problems.push({
            code: 'MISSING_FILE',
            file: path,
            line: index + 1,
            message: `@import '${spec}' in ${path}: ${target ?? spec} does not exist`,
          });
          return '';
        }
        if (chain.includes(target) || target === path) {
          problems.push({
            code: 'ACSS_IMPORT_CYCLE',
            file: path,
            line: index + 1,
            message: `@import '${spec}' in ${path} imports itself`,
          });
          return '';
        }
        return `/* ${target} */\n${inlineImports(target, read, problems, [...chain, path])}\n`;
      }),
    )
    .join('\n');
}
