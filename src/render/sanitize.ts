// The one sanitizer between the cluster's (or a file's) bytes and the terminal. A container message,
// a probe's output, an event or a log line can carry terminal control sequences: OSC 52 writes the
// clipboard, OSC 0 the window title, OSC 8 hides a link, CSI 2J clears the screen, bidi overrides
// reorder what is read, CR and newlines overwrite or forge whole lines. Every string that came from
// outside passes through here before text output, escaped visibly as kubectl does
// (cli-runtime printers/terminal.go: ESC -> `^[`, CR -> `\r`), extended to the rest of C0/C1, DEL and
// the bidi controls. Newlines and tabs become spaces: every field is printed on one line (a watch
// line cannot be forged by a newline in an event message). JSON and YAML are not passed through here.

// C0 (but not what we flatten), DEL, C1, and the bidi controls: ALM, LRM, RLM, LRE..RLO, LRI..PDI;
// U+2028/2029 end lines on some terminals.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const UNSAFE_G = new RegExp(UNSAFE.source, 'g');

function hex(c: number, n: number): string {
  return c.toString(16).padStart(n, '0');
}

function replacement(ch: string): string {
  const c = ch.charCodeAt(0);
  if (c === 0x1b) return '^[';
  if (c === 0x0d) return '\\r';
  if (c === 0x0a || c === 0x09 || c === 0x0b || c === 0x0c || c === 0x2028 || c === 0x2029) return ' ';
  if (c < 0x80) return `\\x${hex(c, 2)}`;
  return `\\u${hex(c, 4)}`;
}

/** A foreign string made safe for a terminal, on one line. Idempotent; the common case costs one test. */
export function escapeTerminal(s: string): string {
  return UNSAFE.test(s) ? s.replace(UNSAFE_G, replacement) : s;
}

/**
 * A copy of `v` with every string (values and keys) escaped: applied once to a model object right
 * before it is rendered as text, so no field can be forgotten.
 */
export function sanitizeDeep<T>(v: T): T {
  if (typeof v === 'string') return escapeTerminal(v) as T;
  if (Array.isArray(v)) {
    let out: unknown[] | null = null;
    for (let i = 0; i < v.length; i++) {
      const x = sanitizeDeep(v[i]);
      if (x !== v[i]) (out ??= v.slice())[i] = x;
    }
    return (out ?? v) as T;
  }
  if (v !== null && typeof v === 'object') {
    let out: Record<string, unknown> | null = null;
    const o = v as Record<string, unknown>;
    for (const k of Object.keys(o)) {
      const x = sanitizeDeep(o[k]);
      const key = escapeTerminal(k);
      if (x !== o[k] || key !== k) {
        out ??= { ...o };
        if (key !== k) delete out[k];
        out[key] = x;
      }
    }
    return (out ?? v) as T;
  }
  return v;
}
