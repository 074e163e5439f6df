// docs/PROTOCOL.md is the protocol document users have (the team's own notes are not in the repository): every
// citation points at it by a section that exists, and what it says about the code's tables is what the code does.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_MERCHANT_PORT, DEFAULT_PREVIEW_PORT, DEFAULT_SANDBOX_PORT, ORDER_STATUSES } from '@minipay/contract';
import { statusForResultCode } from '@minipay/tradepay';
import { DEFAULT_RETRY_SCHEDULE, OUTCOMES } from '@minipay/wallet-sandbox';
import { repoRoot } from './helpers';

const protocol = readFileSync(join(repoRoot, 'docs', 'PROTOCOL.md'), 'utf8');
const headings = [...protocol.matchAll(/^#{2,3} (.+)$/gm)].map((match) => match[1]!);
/** `2`, `4.3`, ... : the numbers of the document's sections. */
const sections = new Set(headings.map((heading) => /^(\d+(?:\.\d+)?)\.? /.exec(heading)?.[1]).filter(Boolean));
/** GitHub's anchor for a heading: lowercase, punctuation dropped, each space a hyphen. */
const slug = (heading: string) =>
  heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
const anchors = new Set(headings.map(slug));

function tracked(pattern: string): { file: string; line: number; text: string }[] {
  const result = spawnSync('git', ['grep', '-n', '-I', '-e', pattern], { cwd: repoRoot, encoding: 'utf8' });
  return result.stdout
    .split('\n')
    .filter(Boolean)
    .map((row) => {
      const [file, line, ...text] = row.split(':');
      return { file: file!, line: Number(line), text: text.join(':') };
    });
}

test('no tracked file cites the team-internal spec, which users do not have', () => {
  // Spelled in two halves, so that this file is not a hit of its own search.
  const name = ['SP', 'EC'].join('');
  expect(tracked(name)).toEqual([]);
});

test('every "PROTOCOL §n" citation names a section the document has', () => {
  const cited = tracked('PROTOCOL').flatMap(({ file, line, text }) =>
    [...text.matchAll(/PROTOCOL(?:\.md)?\]?(?:\([^)]*\))?((?:[ ,–-]*(?:and )?§\d+(?:\.\d+)?)+)/g)].flatMap((match) =>
      [...match[1]!.matchAll(/§(\d+(?:\.\d+)?)/g)].map((number) => ({ at: `${file}:${line}`, section: number[1]! })),
    ),
  );
  expect(cited.length).toBeGreaterThan(30);
  expect(cited.filter(({ section }) => !sections.has(section))).toEqual([]);
  // The document's own cross-references, e.g. "(§5.2)".
  const internal = [...protocol.matchAll(/§(\d+(?:\.\d+)?)/g)].map((match) => match[1]!);
  expect(internal.filter((section) => !sections.has(section))).toEqual([]);
});

test('every link to a section of docs/PROTOCOL.md (PROTOCOL.md#<section>) lands on a heading', () => {
  const links = tracked('PROTOCOL.md#').flatMap(({ file, text }) =>
    [...text.matchAll(/PROTOCOL\.md#([\w-]+)/g)].map((match) => ({ file, anchor: match[1]! })),
  );
  expect(links.length).toBeGreaterThan(5);
  expect(links.filter(({ anchor }) => !anchors.has(anchor))).toEqual([]);
});

describe('what the document says is what the code does', () => {
  it('§3: each resultCode maps to the status @minipay/tradepay gives it', () => {
    const rows = [...protocol.matchAll(/^\| `(\d+)` +\|[^|]+\| `([a-z-]+)`/gm)];
    expect(rows.map((row) => row[1])).toEqual(['9000', '8000', '4000', '6001', '99', '6002', '6004', '4']);
    for (const [, code, status] of rows) expect([code, statusForResultCode(code!)]).toEqual([code, status]);
  });

  it('§7: the sandbox outcomes, their result codes and their order', () => {
    const section = protocol.slice(protocol.indexOf('## 7.'), protocol.indexOf('## 8.'));
    const bullet = /- the outcomes, in this order: ([\s\S]*?);\n- /.exec(section)![1]!;
    expect([...bullet.matchAll(/`(\d{4})`/g)].map((match) => match[1])).toEqual(OUTCOMES.map((o) => o.resultCode));
    const names = /`outcome` one of ([^;]+);/.exec(section)![1]!;
    expect([...names.matchAll(/`([a-z-]+)`/g)].map((match) => match[1])).toEqual(OUTCOMES.map((o) => o.outcome));
  });

  it('§5.2: the sandbox retry schedule', () => {
    const text = /the first attempt at once, then ([^,]+(?:, [^,]+)*) after the previous one/.exec(protocol)![1]!;
    const ms = text
      .replace(' and ', ', ')
      .split(', ')
      .map((part) => {
        const [amount, unit] = part.split(' ');
        return Number(amount) * { s: 1000, min: 60_000, h: 3_600_000 }[unit as 's' | 'min' | 'h'];
      });
    expect(ms).toEqual([...DEFAULT_RETRY_SCHEDULE]);
  });

  it('§6: the order statuses', () => {
    const line = /`status` is one of ([^;]+);/.exec(protocol)![1]!;
    expect([...line.matchAll(/`([A-Z]+)`/g)].map((match) => match[1])).toEqual([...ORDER_STATUSES]);
  });

  it('§8: the default ports', () => {
    const port = (service: string) => new RegExp(`^\\| ${service}[^|]*\\| \`http://127\\.0\\.0\\.1:(\\d+)\``, 'm');
    expect(Number(port('merchant server').exec(protocol)![1])).toBe(DEFAULT_MERCHANT_PORT);
    expect(Number(port('wallet sandbox').exec(protocol)![1])).toBe(DEFAULT_SANDBOX_PORT);
    expect(Number(port('preview').exec(protocol)![1])).toBe(DEFAULT_PREVIEW_PORT);
  });
});
