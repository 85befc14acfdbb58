// How many terminal columns text takes, as terminals count them: East Asian wide and fullwidth
// characters and emoji take two, combining marks and zero-width characters none, SGR escape codes
// none (string-width). Every wrapper and padder of the renderers measures through here; a
// character count is wrong for CJK and emoji (two columns each).
import stringWidth from 'string-width';

/** Columns `s` takes on a terminal. */
export function columns(s: string): number {
  return stringWidth(s);
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** The characters (grapheme clusters) of `s`, each with its columns. */
export function cells(s: string): { text: string; width: number }[] {
  if (/^[\x20-\x7e]*$/.test(s)) return Array.from(s, (text) => ({ text, width: 1 }));
  return Array.from(graphemes.segment(s), ({ segment }) => ({ text: segment, width: stringWidth(segment) }));
}

/** `s` padded with spaces to `width` columns (never cut). */
export function padColumns(s: string, width: number): string {
  const w = columns(s);
  return w >= width ? s : s + ' '.repeat(width - w);
}

/** The longest start of `s` (whole characters) that fits `width` columns, and the rest. */
export function splitColumns(s: string, width: number): [string, string] {
  let used = 0;
  let i = 0;
  for (const c of cells(s)) {
    if (used + c.width > width && used > 0) break;
    used += c.width;
    i += c.text.length;
  }
  return [s.slice(0, i), s.slice(i)];
}
