// Checks dist as it ships: size, syntax, no imports, declarations, and that both entries work. It reads files
// with Node's fs and runs the size script; the package itself uses no Node. One file, so that one worker builds.
/// <reference types="node" />
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'acorn';
import ts from 'typescript';

// The same measurement `npm run size` prints (builds dist first if it is missing or older than src).
const { LIMIT, measure } = require('../scripts/measure.cjs') as {
  LIMIT: number;
  measure(): Promise<{ code: string; minified: string; minGzipBytes: number }>;
};

const packageDir = join(__dirname, '..');
const EXPORTS = [
  'DEFAULT_SCHEDULE',
  'TradePayError',
  'confirmPayment',
  'describeOutcome',
  'isFinal',
  'statusForResultCode',
  'tradePay',
];
let built: { code: string; minified: string; minGzipBytes: number };
beforeAll(async () => {
  built = await measure();
}, 120_000);

type Node = { type: string; [key: string]: unknown };
function walk(node: unknown, visit: (node: Node) => void): void {
  if (Array.isArray(node)) node.forEach((child) => walk(child, visit));
  else if (node && typeof node === 'object' && typeof (node as Node).type === 'string') {
    visit(node as Node);
    for (const value of Object.values(node)) walk(value, visit);
  }
}

describe('the built ESM entry', () => {
  it(`is at most ${LIMIT} bytes minified and gzipped`, () => {
    expect(built.minGzipBytes).toBeGreaterThan(500); // a measurement, not an empty file
    expect(built.minGzipBytes).toBeLessThanOrEqual(LIMIT);
  });

  it('parses as ES2017, minified or not', () => {
    for (const code of [built.code, built.minified]) {
      expect(() => parse(code, { ecmaVersion: 2017, sourceType: 'module' })).not.toThrow();
    }
    // The check can fail: syntax newer than ES2017 is refused.
    expect(() => parse('export const a = b?.c;', { ecmaVersion: 2017, sourceType: 'module' })).toThrow();
    expect(() => parse('export const { a, ...rest } = b;', { ecmaVersion: 2017, sourceType: 'module' })).toThrow();
  });

  it('parses the CommonJS entry as an ES2017 script', () => {
    const cjs = readFileSync(join(packageDir, 'dist', 'index.cjs'), 'utf8');
    expect(() => parse(cjs, { ecmaVersion: 2017, sourceType: 'script' })).not.toThrow();
  });

  it('imports and requires nothing: no Node built-ins, no runtime dependencies', () => {
    const found: string[] = [];
    walk(parse(built.code, { ecmaVersion: 2017, sourceType: 'module' }), (node) => {
      if (node.type === 'ImportDeclaration' || node.type === 'ExportAllDeclaration') found.push(node.type);
      if (node.type === 'ExportNamedDeclaration' && node.source) found.push('re-export');
      if (
        node.type === 'CallExpression' &&
        (node.callee as Node).type === 'Identifier' &&
        (node.callee as { name?: string }).name === 'require'
      ) {
        found.push('require');
      }
    });
    expect(found).toEqual([]);
    expect(built.code).not.toMatch(/\brequire\s*\(|\bimport\s*\(|process\.|Buffer\b|globalThis/);
    const cjs = readFileSync(join(packageDir, 'dist', 'index.cjs'), 'utf8');
    expect(cjs).not.toMatch(/\brequire\s*\(/);
    const pkg = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(pkg.peerDependencies).toBeUndefined();
  });

  it('ships declarations that compile for a strict ES2022 + DOM consumer without skipLibCheck', () => {
    const program = ts.createProgram([join(packageDir, 'dist', 'index.d.ts')], {
      strict: true,
      noEmit: true,
      skipLibCheck: false,
      noImplicitOverride: true,
      exactOptionalPropertyTypes: true,
      target: ts.ScriptTarget.ES2022,
      lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
      types: [],
    });
    const diagnostics = ts
      .getPreEmitDiagnostics(program)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(diagnostics).toEqual([]);
  });
});

describe('npm run size', () => {
  it('prints the figure and writes it to MINIPAY_BENCH_JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tradepay-size-'));
    try {
      const file = join(dir, 'size.json');
      const out = execFileSync(process.execPath, ['scripts/size.mjs'], {
        cwd: packageDir,
        env: { ...process.env, MINIPAY_BENCH_JSON: file },
        encoding: 'utf8',
      });
      expect(out).toContain(`${built.minGzipBytes} bytes (limit ${LIMIT})`);
      expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ minGzipBytes: built.minGzipBytes, limit: 2048 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the built entries, as published', () => {
  it('exports the API from the CommonJS entry, and it pays through a fake my', async () => {
    const cjs = require(join(packageDir, 'dist', 'index.cjs')) as typeof import('../src');
    expect(Object.keys(cjs).sort()).toEqual(EXPORTS);
    const my = { tradePay: (p: { success?(r: { resultCode: string }): void }) => p.success!({ resultCode: '9000' }) };
    await expect(cjs.tradePay({ paymentUrl: 'https://w.example/c/1' }, { my })).resolves.toEqual({
      status: 'paid',
      resultCode: '9000',
    });
    await expect(cjs.tradePay({ paymentUrl: '' }, { my })).rejects.toBeInstanceOf(cjs.TradePayError);
  });

  it('exports the same API from the ESM entry, and it pays through a global my', () => {
    const script = `
      import * as api from ${JSON.stringify(join(packageDir, 'dist', 'index.mjs'))};
      globalThis.my = { tradePay: (p) => setTimeout(() => p.success({ resultCode: 6001 }), 1) };
      const outcome = await api.tradePay({ tradeNO: 'T1' });
      console.log(JSON.stringify({ names: Object.keys(api).sort(), outcome, text: api.describeOutcome(outcome, 'es-MX') }));
    `;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual({
      names: EXPORTS,
      outcome: { status: 'cancelled', resultCode: '6001' },
      text: 'El pago fue cancelado.',
    });
  });
});
