// The ways a JSON body is commonly laid out by the platform's SDKs and by frameworks. The signature doctor renders
// a received body in each of them to recognise a body that was re-serialised between signing and checking (e.g. a
// Python SDK request, pretty-printed with indent=3, checked after a framework parsed it and wrote it back compact).

export interface JsonLayout {
  /** For people: what the layout is and who writes it. */
  name: string;
  render(value: unknown): string;
}

interface Style {
  /** Per level; '' for one line. */
  indent: string;
  itemSeparator: string;
  keySeparator: string;
  sortKeys?: boolean;
  /** Rewrites the JSON text of a string (quotes included) after JSON.stringify escaped it. */
  escape?: (quoted: string) => string;
}

const hex4 = (code: number, upper = false) => {
  const text = code.toString(16).padStart(4, '0');
  return `\\u${upper ? text.toUpperCase() : text}`;
};
const nonAscii = (quoted: string) => quoted.replace(/[\u0080-\uffff]/g, (c) => hex4(c.charCodeAt(0)));

function render(value: unknown, style: Style, depth: number): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value) ?? 'null';
    return typeof value === 'string' && style.escape ? style.escape(text) : text;
  }
  const open = Array.isArray(value) ? '[' : '{';
  const close = Array.isArray(value) ? ']' : '}';
  const entries = Array.isArray(value)
    ? value.map((item) => render(item, style, depth + 1))
    : (style.sortKeys ? Object.keys(value).sort() : Object.keys(value)).map((key) => {
        const quoted = JSON.stringify(key);
        return `${style.escape ? style.escape(quoted) : quoted}${style.keySeparator}${render((value as Record<string, unknown>)[key], style, depth + 1)}`;
      });
  if (entries.length === 0) return open + close;
  if (style.indent === '') return open + entries.join(style.itemSeparator) + close;
  const inner = `\n${style.indent.repeat(depth + 1)}`;
  return `${open}${inner}${entries.join(style.itemSeparator + inner)}\n${style.indent.repeat(depth)}${close}`;
}

const layout = (name: string, style: Style): JsonLayout => ({ name, render: (value) => render(value, style, 0) });

/** The layouts tried, most common first. */
export const JSON_LAYOUTS: readonly JsonLayout[] = [
  layout('compact JSON (JSON.stringify, Java fastjson, .NET, Go)', {
    indent: '',
    itemSeparator: ',',
    keySeparator: ':',
  }),
  layout('JSON indented by 3 spaces with non-ASCII as \\u escapes (the Python SDK: json.dumps(indent=3))', {
    indent: '   ',
    itemSeparator: ',',
    keySeparator: ': ',
    escape: nonAscii,
  }),
  layout('JSON indented by 2 spaces (JSON.stringify(body, null, 2))', {
    indent: '  ',
    itemSeparator: ',',
    keySeparator: ': ',
  }),
  layout('JSON indented by 4 spaces', { indent: '    ', itemSeparator: ',', keySeparator: ': ' }),
  layout('JSON with ", " and ": " separators and \\u escapes (Python json.dumps defaults)', {
    indent: '',
    itemSeparator: ', ',
    keySeparator: ': ',
    escape: nonAscii,
  }),
  layout('compact JSON with escaped slashes and \\u escapes (the PHP SDK: json_encode)', {
    indent: '',
    itemSeparator: ',',
    keySeparator: ':',
    escape: (quoted) => nonAscii(quoted).replace(/\//g, '\\/'),
  }),
  layout('compact JSON with <, > and & as \\u escapes (Go json.Marshal)', {
    indent: '',
    itemSeparator: ',',
    keySeparator: ':',
    escape: (quoted) => quoted.replace(/[<>&\u2028\u2029]/g, (c) => hex4(c.charCodeAt(0))),
  }),
  layout('compact JSON with keys sorted', { indent: '', itemSeparator: ',', keySeparator: ':', sortKeys: true }),
];

/** Other bytes the same text may have been signed as: line breaks added, removed or converted. */
export function textVariants(text: string): Array<{ name: string; text: string }> {
  const variants = [
    { name: 'the same bytes with a final line break', text: `${text}\n` },
    { name: 'the same bytes without the final line break', text: text.replace(/\r?\n$/, '') },
    { name: 'the same bytes with CRLF line breaks', text: text.replace(/\r?\n/g, '\r\n') },
    { name: 'the same bytes with LF line breaks', text: text.replace(/\r\n/g, '\n') },
  ];
  return variants.filter((variant) => variant.text !== text);
}
