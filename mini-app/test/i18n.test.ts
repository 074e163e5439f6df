import { format, localeFromLanguage, stringsFor } from '../src/i18n/locale';
import { en, es } from '../src/i18n/strings';

function leaves(table: object, prefix = ''): Array<[string, unknown]> {
  return Object.entries(table).flatMap(([key, value]) =>
    typeof value === 'object' && value !== null
      ? leaves(value, `${prefix}${key}.`)
      : [[`${prefix}${key}`, value] as [string, unknown]],
  );
}

const placeholders = (text: string) => (text.match(/\{\w+\}/g) ?? []).sort();

test('English and Spanish have exactly the same keys', () => {
  expect(leaves(es).map(([key]) => key)).toEqual(leaves(en).map(([key]) => key));
});

describe.each([
  ['en', en],
  ['es', es],
] as const)('%s', (_locale, table) => {
  test.each(leaves(table))('%s is a non-empty string with the same placeholders as English', (key, value) => {
    expect(typeof value).toBe('string');
    expect((value as string).trim()).not.toBe('');
    const english = leaves(en).find(([k]) => k === key)?.[1] as string;
    expect(placeholders(value as string)).toEqual(placeholders(english));
  });
});

test('Spanish strings are translated, not copied (beyond words that are the same in both)', () => {
  const same = leaves(es)
    .filter(([key, value]) => leaves(en).find(([k]) => k === key)?.[1] === value)
    .map(([key]) => key);
  expect(same).toEqual(['products.total', 'confirm.total', 'confirm.line']);
});

test.each([
  ['es', 'es'],
  ['es-MX', 'es'],
  ['es_ES', 'es'],
  ['ES', 'es'],
  ['en', 'en'],
  ['en-US', 'en'],
  ['zh-Hans', 'en'],
  ['estonian', 'en'],
  [undefined, 'en'],
  ['', 'en'],
])('system language %p → %s', (language, locale) => {
  expect(localeFromLanguage(language)).toBe(locale);
});

test('stringsFor picks the table', () => {
  expect(stringsFor('es')).toBe(es);
  expect(stringsFor('en')).toBe(en);
});

test('format fills placeholders and leaves unknown ones visible', () => {
  expect(format('{a} and {b}', { a: 1, b: 'two' })).toBe('1 and two');
  expect(format('{missing}', {})).toBe('{missing}');
});
