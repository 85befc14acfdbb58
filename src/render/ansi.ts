// A tiny ANSI styler: colour is an input (decided by the CLI from --color/NO_COLOR/TTY), never detected here.
// With colour off every function is the identity, so plain output holds no escape code at all.

export type Style = 'bold' | 'dim' | 'red' | 'yellow' | 'green' | 'cyan';

const CODES: Record<Style, [number, number]> = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  yellow: [33, 39],
  green: [32, 39],
  cyan: [36, 39],
};

export interface Painter {
  (style: Style, text: string): string;
  enabled: boolean;
}

export function painter(enabled: boolean): Painter {
  const p = ((style: Style, text: string): string => {
    if (!enabled || text === '') return text;
    const [on, off] = CODES[style];
    return `\u001b[${on}m${text}\u001b[${off}m`;
  }) as Painter;
  p.enabled = enabled;
  return p;
}

/** Removes SGR escape codes (for width computations). */
export function stripAnsi(s: string): string {
  return s.replace(/\u001b\[[0-9;]*m/g, '');
}
