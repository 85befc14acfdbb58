// Kubernetes resource quantities (k8s.io/apimachinery resource.Quantity), exactly: values are kept
// as BigInt nano-units so sums and maxima never suffer float rounding, and formatted back in the
// canonical form the API server and kubectl print (no decimal point: 2500m, 704Mi, 1500k).

export type QuantityFormat = 'BinarySI' | 'DecimalSI';

export interface Quantity {
  /** Value × 10^9 (nano-units), rounded up like ParseQuantity does below nano precision. */
  nano: bigint;
  /** BinarySI when written with Ki/Mi/…: canonical output then prefers binary suffixes. */
  format: QuantityFormat;
}

const NANO = 1_000_000_000n;

const BINARY: Record<string, number> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

// sign, digits with at most one dot, then a suffix: binary, decimal SI, or an exponent (1e3, 5E-2).
const SYNTAX = /^([+-]?)(\d+\.?\d*|\.\d+)(?:(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)|[eE]([+-]?\d+))?$/;

function pow(base: bigint, exp: number): bigint {
  let r = 1n;
  for (let i = 0; i < exp; i++) r *= base;
  return r;
}

/** Ceiling division for a positive divisor (Quantity rounds up when it loses precision). */
function ceilDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a > 0n ? q + 1n : q;
}

/** Parse a quantity as the API accepts it ("100m", "0.5", 1, "128Mi", "1G", "1e3"); null when malformed. */
export function parseQuantity(v: unknown): Quantity | null {
  let s: string;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return null;
    s = String(v);
  } else if (typeof v === 'string') {
    s = v.trim();
  } else {
    return null;
  }
  const m = SYNTAX.exec(s);
  if (!m) return null;
  const [, sign, num, suffix, exponent] = m;
  const [intPart, fracPart = ''] = num.split('.');
  const digits = BigInt((intPart || '0') + fracPart);
  const scale = fracPart.length;
  let nano: bigint;
  let format: QuantityFormat = 'DecimalSI';
  if (suffix !== undefined && suffix in BINARY) {
    format = 'BinarySI';
    nano = ceilDiv(digits * pow(1024n, BINARY[suffix]) * NANO, pow(10n, scale));
  } else {
    const e = exponent !== undefined ? Number(exponent) : DECIMAL[suffix ?? ''];
    if (!Number.isSafeInteger(e) || Math.abs(e) > 1000) return null;
    const shift = e + 9 - scale; // value × 10^9 = digits × 10^(e + 9 - scale)
    nano = shift >= 0 ? digits * pow(10n, shift) : ceilDiv(digits, pow(10n, -shift));
  }
  return { nano: sign === '-' ? -nano : nano, format };
}

const DECIMAL_OUT: [number, string][] = [[18, 'E'], [15, 'P'], [12, 'T'], [9, 'G'], [6, 'M'], [3, 'k'], [0, ''], [-3, 'm'], [-6, 'u'], [-9, 'n']];
const BINARY_OUT: [number, string][] = [[6, 'Ei'], [5, 'Pi'], [4, 'Ti'], [3, 'Gi'], [2, 'Mi'], [1, 'Ki']];

/**
 * Canonical form: BinarySI whole values of at least 1024 in the largest binary suffix that divides
 * exactly (704Mi); everything else in the largest decimal suffix that keeps an integer (2500m, 1, 1500k).
 */
export function formatQuantity(q: Quantity): string {
  const n = q.nano;
  if (n === 0n) return '0';
  const abs = n < 0n ? -n : n;
  const sign = n < 0n ? '-' : '';
  if (q.format === 'BinarySI' && abs % NANO === 0n && abs / NANO >= 1024n) {
    const base = abs / NANO;
    for (const [k, suffix] of BINARY_OUT) {
      const unit = pow(1024n, k);
      if (base % unit === 0n) return `${sign}${base / unit}${suffix}`;
    }
    return `${sign}${base}`;
  }
  for (const [e, suffix] of DECIMAL_OUT) {
    const unit = pow(10n, e + 9);
    if (abs % unit === 0n) return `${sign}${abs / unit}${suffix}`;
  }
  return `${sign}${abs}n`;
}

/**
 * Several quantities in one common unit, for side-by-side comparison: "2500m" and "1000m" rather
 * than "2500m" and "1". Falls back to each one's canonical form when no suffix divides them all.
 */
export function formatQuantitiesAlike(qs: Quantity[]): string[] {
  if (!qs.length) return [];
  const nonZero = qs.filter((q) => q.nano !== 0n);
  if (!nonZero.length) return qs.map(() => '0');
  const abs = (n: bigint) => (n < 0n ? -n : n);
  const fmt = (unit: bigint, suffix: string) => qs.map((q) => (q.nano === 0n ? '0' : `${q.nano / unit}${suffix}`));
  if (nonZero.every((q) => q.format === 'BinarySI' && abs(q.nano) % NANO === 0n && abs(q.nano) / NANO >= 1024n)) {
    for (const [k, suffix] of BINARY_OUT) {
      const unit = pow(1024n, k) * NANO;
      if (nonZero.every((q) => q.nano % unit === 0n)) return fmt(unit, suffix);
    }
  }
  for (const [e, suffix] of DECIMAL_OUT) {
    const unit = pow(10n, e + 9);
    if (nonZero.every((q) => q.nano % unit === 0n)) return fmt(unit, suffix);
  }
  return qs.map(formatQuantity);
}

export function addQuantity(a: Quantity, b: Quantity): Quantity {
  return { nano: a.nano + b.nano, format: a.format === 'BinarySI' || b.format === 'BinarySI' ? 'BinarySI' : 'DecimalSI' };
}

export function maxQuantity(a: Quantity, b: Quantity): Quantity {
  const format = a.format === 'BinarySI' || b.format === 'BinarySI' ? 'BinarySI' : 'DecimalSI';
  return { nano: a.nano >= b.nano ? a.nano : b.nano, format };
}

export function subQuantity(a: Quantity, b: Quantity): Quantity {
  return { nano: a.nano - b.nano, format: a.format === 'BinarySI' || b.format === 'BinarySI' ? 'BinarySI' : 'DecimalSI' };
}
