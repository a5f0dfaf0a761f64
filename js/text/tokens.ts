/**
 * Token boundaries in UTF-16 offsets, and snapping a selection to whole tokens.
 *
 * `tokenize` mirrors Python's `nbannotate.formats.tokens.tokenize`: `TOKEN_PATTERN` is the same
 * regular expression, and `tokenize` a one-pass scanner that finds the same tokens faster
 * (`tests/fixtures/tokens.json`, generated from Python, proves they agree):
 * flags (two regional indicators), single CJK ideographs or kana, runs of word characters
 * (letters, digits, `_`, combining marks), and single other characters with their marks,
 * skin-tone modifiers and zero-width-joiner sequences. Whitespace is Python's `\s` set, which
 * differs from JavaScript's (U+001C–U+001F and U+0085 are spaces in Python, U+FEFF is not).
 *
 * Tokens are kept as an Int32Array `[s0, e0, s1, e1, ...]` of UTF-16 offsets, the same layout
 * as the buffer that a custom Python tokenizer sends.
 */

/** Python's `\s` (str.isspace) as a character-class body. */
export const PY_WHITESPACE =
  "\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
const CJK = "\\u3040-\\u30ff\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\uff66-\\uff9f\\u{20000}-\\u{3134f}";
const ATTACH = "[\\p{M}\\u{1F3FB}-\\u{1F3FF}]*";
const FLAG = "[\\u{1F1E6}-\\u{1F1FF}]{2}";
const WORD_CHAR = "\\p{L}\\p{N}_\\p{M}";

export const TOKEN_PATTERN = [
  FLAG,
  `[${CJK}]${ATTACH}`,
  `(?:(?![${CJK}])[${WORD_CHAR}])+`,
  `[^${WORD_CHAR}${PY_WHITESPACE}]${ATTACH}(?:\\u200d[^${PY_WHITESPACE}]${ATTACH})*`,
].join("|");

// Character classes, as bits, cached per code point on first sight.
const SPACE = 1;
const CJK_BIT = 2;
const WORD = 4; // \w or a mark: what a word run is made of (CJK excepted)
const MARK = 8;
const REGIONAL = 16;
const SKIN = 32;
const KNOWN = 128;

const isSpace = new RegExp(`^[${PY_WHITESPACE}]$`, "u");
const isCjk = new RegExp(`^[${CJK}]$`, "u");
const isWord = /^[\p{L}\p{N}_\p{M}]$/u;
const isMark = /^\p{M}$/u;
let classes = new Uint8Array(0x3000);

function classOf(code: number): number {
  if (code >= classes.length) {
    const grown = new Uint8Array(code < 0x10000 ? 0x10000 : 0x110000);
    grown.set(classes);
    classes = grown;
  }
  let bits = classes[code] as number;
  if (bits === 0) {
    const ch = String.fromCodePoint(code);
    bits = KNOWN
      | (isSpace.test(ch) ? SPACE : 0)
      | (isCjk.test(ch) ? CJK_BIT : 0)
      | (isWord.test(ch) ? WORD : 0)
      | (isMark.test(ch) ? MARK : 0)
      | (code >= 0x1f1e6 && code <= 0x1f1ff ? REGIONAL : 0)
      | (code >= 0x1f3fb && code <= 0x1f3ff ? SKIN : 0);
    classes[code] = bits;
  }
  return bits;
}

/**
 * Tokens of `text` as `[s0, e0, s1, e1, ...]` UTF-16 offsets: a one-pass scanner that finds what
 * `TOKEN_PATTERN` (Python's pattern) finds, several times faster than the regular expression.
 */
export function tokenize(text: string): Int32Array {
  const n = text.length;
  let out = new Int32Array(Math.max(16, n >> 2));
  let count = 0;
  const at = (i: number) => text.codePointAt(i) as number;
  const size = (code: number) => (code > 0xffff ? 2 : 1);
  const skipAttached = (from: number) => {
    let i = from;
    while (i < n) {
      const code = at(i);
      if (!(classOf(code) & (MARK | SKIN))) break;
      i += size(code);
    }
    return i;
  };
  let i = 0;
  while (i < n) {
    const code = at(i);
    const bits = classOf(code);
    if (bits & SPACE) {
      i += size(code);
      continue;
    }
    const start = i;
    i += size(code);
    if (bits & REGIONAL && i < n && classOf(at(i)) & REGIONAL) {
      i += 2; // a flag: two regional indicators, nothing attached
    } else if (bits & CJK_BIT) {
      i = skipAttached(i);
    } else if (bits & WORD) {
      while (i < n) {
        const next = at(i);
        const b = classOf(next);
        if (!(b & WORD) || b & CJK_BIT) break;
        i += size(next);
      }
    } else {
      i = skipAttached(i);
      // Zero-width-joiner sequences: ZWJ, any non-space character, its marks; repeated.
      while (i + 1 < n && text.charCodeAt(i) === 0x200d) {
        const next = at(i + 1);
        if (classOf(next) & SPACE) break;
        i = skipAttached(i + 1 + size(next));
      }
    }
    if (count + 2 > out.length) {
      const grown = new Int32Array(out.length * 2);
      grown.set(out);
      out = grown;
    }
    out[count++] = start;
    out[count++] = i;
  }
  return out.slice(0, count);
}

/** The same tokens with the regular expression itself (the reference that tests compare with). */
export function tokenizeWithPattern(text: string): Int32Array {
  const re = new RegExp(TOKEN_PATTERN, "gu");
  const out: number[] = [];
  let match: RegExpExecArray | null;
  while ((match = re.exec(text)) !== null) out.push(match.index, match.index + match[0].length);
  return Int32Array.from(out);
}

/** Read a little-endian Int32 buffer (a custom tokenizer's tokens) as an Int32Array. */
export function tokensFromBuffer(view: DataView | null | undefined): Int32Array {
  if (!view || view.byteLength < 8) return new Int32Array(0);
  const count = Math.floor(view.byteLength / 4) & ~1;
  const out = new Int32Array(count);
  for (let i = 0; i < count; i++) out[i] = view.getInt32(i * 4, true);
  return out;
}

/** Index of the first token whose end is after `offset` (token count when none). */
function firstEndingAfter(tokens: Int32Array, offset: number): number {
  let lo = 0;
  let hi = tokens.length >> 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((tokens[2 * mid + 1] as number) > offset) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Index of the last token that starts before `offset` (-1 when none). */
function lastStartingBefore(tokens: Int32Array, offset: number): number {
  let lo = 0;
  let hi = tokens.length >> 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((tokens[2 * mid] as number) < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/**
 * Widen the UTF-16 range `[start, end)` to the tokens it touches; null when it touches none
 * (an empty range, or only whitespace).
 */
export function snapToTokens(tokens: Int32Array, start: number, end: number): [number, number] | null {
  if (end <= start) return null;
  const first = firstEndingAfter(tokens, start);
  const last = lastStartingBefore(tokens, end);
  if (first > last) return null;
  return [tokens[2 * first] as number, tokens[2 * last + 1] as number];
}

/** The token that contains UTF-16 `offset`, or the next one; null past the last token. */
export function tokenAt(tokens: Int32Array, offset: number): [number, number] | null {
  const i = firstEndingAfter(tokens, offset);
  if (i >= tokens.length >> 1) return null;
  return [tokens[2 * i] as number, tokens[2 * i + 1] as number];
}

/** Widens a UTF-16 range to whole tokens. */
export interface Snapper {
  /** `[start, end)` widened to the tokens it touches; null when it touches none. */
  snap(start: number, end: number): [number, number] | null;
}

/** Snapping over a complete token list (a custom tokenizer's buffer). */
export class TokenListSnapper implements Snapper {
  constructor(readonly tokens: Int32Array) {}

  snap(start: number, end: number): [number, number] | null {
    return snapToTokens(this.tokens, start, end);
  }
}

const WINDOW = 4096;

/**
 * Snapping with the default tokenizer without tokenizing the document: tokens never contain
 * whitespace and every other character belongs to one, so a selection snaps to the start of the
 * token holding its first non-space character and the end of the token holding its last; each
 * is found by tokenizing from the whitespace before it to the whitespace after it. Text without
 * whitespace for `WINDOW` characters (Japanese, say) is tokenized whole, once.
 */
export class LocalTokenSnapper implements Snapper {
  private full: Int32Array | null = null;

  constructor(readonly text: string) {}

  private space(index: number): boolean {
    const code = this.text.charCodeAt(index);
    return code < 0xd800 && (classOf(code) & SPACE) !== 0;
  }

  /** The token holding the (non-space) character at UTF-16 `index`. */
  tokenHolding(index: number): [number, number] | null {
    const text = this.text;
    let pos = index;
    const unit = text.charCodeAt(pos);
    if (unit >= 0xdc00 && unit <= 0xdfff && pos > 0) pos -= 1; // the low half of a pair
    let lo = pos;
    while (lo > 0 && !this.space(lo - 1) && pos - lo < WINDOW) lo--;
    let hi = pos + 1;
    while (hi < text.length && !this.space(hi) && hi - pos < WINDOW) hi++;
    let tokens: Int32Array;
    let base = 0;
    if ((lo > 0 && !this.space(lo - 1)) || (hi < text.length && !this.space(hi))) {
      this.full ??= tokenize(text);
      tokens = this.full;
    } else {
      tokens = tokenize(text.slice(lo, hi));
      base = lo;
    }
    const found = tokenAt(tokens, pos - base);
    if (!found || found[0] > pos - base) return null;
    return [found[0] + base, found[1] + base];
  }

  snap(start: number, end: number): [number, number] | null {
    let a = Math.max(0, start);
    let b = Math.min(this.text.length, end);
    while (a < b && this.space(a)) a++;
    while (b > a && this.space(b - 1)) b--;
    if (b <= a) return null;
    const first = this.tokenHolding(a);
    const last = this.tokenHolding(b - 1);
    if (!first || !last) return null;
    return [first[0], last[1]];
  }
}
