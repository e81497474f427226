/**
 * Finding the vector selectors (`metric{matchers}`, `{matchers}`) of a PromQL expression, and
 * writing PromQL string literals safely. A configured usage query is arbitrary PromQL, and
 * `timestamp()` gives a sample's own time only when applied to a selector directly, so the
 * freshness of a custom query is checked on the selectors it reads.
 *
 * This is a small lexer, not a parser: it knows strings, comments, `{...}` and `[...]` blocks,
 * function calls, and the label lists after `by`, `without`, `on`, `ignoring`, `group_left` and
 * `group_right`, which is all it takes to tell a metric name from anything else.
 */

type Token = { type: 'ident' | 'braces' | 'range' | 'string' | 'number' | 'punct'; text: string };

const LABEL_LISTS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right']);
const KEYWORDS = new Set([...LABEL_LISTS, 'and', 'or', 'unless', 'bool', 'offset', 'atan2', 'inf', 'nan']);

function readQuoted(src: string, i: number): number {
  const quote = src[i];
  let j = i + 1;
  while (j < src.length && src[j] !== quote) j += quote !== '`' && src[j] === '\\' ? 2 : 1;
  return Math.min(j + 1, src.length);
}

/** End (exclusive) of the block opened at `i` by `open`, skipping strings inside it. */
function readBlock(src: string, i: number, open: string, close: string): number {
  let depth = 0;
  let j = i;
  while (j < src.length) {
    const c = src[j];
    if (c === '"' || c === "'" || c === '`') {
      j = readQuoted(src, j);
      continue;
    }
    if (c === open) depth += 1;
    if (c === close && --depth === 0) return j + 1;
    j += 1;
  }
  return src.length;
}

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] ?? '';
    let end = i + 1;
    let type: Token['type'] = 'punct';
    if (/\s/.test(c)) {
      i += 1;
      continue;
    }
    if (c === '#') {
      const nl = src.indexOf('\n', i);
      i = nl === -1 ? src.length : nl + 1;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') [type, end] = ['string', readQuoted(src, i)];
    else if (c === '{') [type, end] = ['braces', readBlock(src, i, '{', '}')];
    else if (c === '[') [type, end] = ['range', readBlock(src, i, '[', ']')];
    else if (/[A-Za-z_:]/.test(c)) {
      while (end < src.length && /[A-Za-z0-9_:]/.test(src[end] ?? '')) end += 1;
      type = 'ident';
    } else if (/[0-9.]/.test(c)) {
      while (end < src.length && (/[0-9A-Za-z_.]/.test(src[end] ?? '') || (/[+-]/.test(src[end] ?? '') && /^[0-9.]+[eE]$/.test(src.slice(i, end))))) end += 1;
      type = 'number';
    }
    tokens.push({ type, text: src.slice(i, end) });
    i = end;
  }
  return tokens;
}

/**
 * The distinct vector selectors of `promql`, in order of appearance, without range or offset:
 * `rate(a{x="1"}[5m]) / b` gives `a{x="1"}` and `b`.
 */
export function vectorSelectors(promql: string): string[] {
  const tokens = tokenize(promql);
  const found: string[] = [];
  for (let i = 0; i < tokens.length; i += 1) {
    const t = tokens[i];
    const next = tokens[i + 1];
    if (t === undefined) break;
    if (t.type === 'braces') {
      found.push(t.text);
      continue;
    }
    if (t.type !== 'ident') continue;
    const word = t.text.toLowerCase();
    if (LABEL_LISTS.has(word) && next?.text === '(') {
      // Skip the label list: `by (node, pod)` names labels, not metrics.
      let j = i + 1;
      while (j < tokens.length && tokens[j]?.text !== ')') j += 1;
      i = j;
      continue;
    }
    if (KEYWORDS.has(word) || next?.text === '(') continue;
    if (next?.type === 'ident' && (next.text === 'by' || next.text === 'without')) continue;
    if (next?.type === 'braces') {
      found.push(`${t.text}${next.text}`);
      i += 1;
    } else found.push(t.text);
  }
  return [...new Set(found)];
}

/** `text` as a PromQL double-quoted string literal (Go escapes, which JSON's are a subset of). */
export function promString(text: string): string {
  return JSON.stringify(text);
}

/**
 * `text` as the replacement argument of `label_replace`, a string literal in which `$` must be
 * doubled, or `$1`-like sequences would be expanded.
 */
export function promReplacement(text: string): string {
  return promString(text.replaceAll('$', () => '$$'));
}
