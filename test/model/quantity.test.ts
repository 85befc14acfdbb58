import { addQuantity, formatQuantity, parseQuantity } from '../../src/model/quantity.js';

test('parses every quantity notation the API accepts, exactly', () => {
  const nano = (s: unknown) => parseQuantity(s)?.nano;
  expect(nano('100m')).toBe(100_000_000n);
  expect(nano('0.5')).toBe(500_000_000n);
  expect(nano(1)).toBe(1_000_000_000n);
  expect(nano(0.25)).toBe(250_000_000n);
  expect(nano('2500m')).toBe(2_500_000_000n);
  expect(nano('128Mi')).toBe(128n * 1024n * 1024n * 1_000_000_000n);
  expect(nano('1G')).toBe(1_000_000_000n * 1_000_000_000n);
  expect(nano('1e3')).toBe(1000n * 1_000_000_000n);
  expect(nano('5E-3')).toBe(5_000_000n);
  expect(nano('500k')).toBe(500_000n * 1_000_000_000n);
  expect(nano('1.5Gi')).toBe(1536n * 1024n * 1024n * 1_000_000_000n);
  expect(nano('10n')).toBe(10n);
  // below nano precision Quantity rounds up
  expect(nano('0.0000000001')).toBe(1n);
});

test('malformed quantities are null, never a throw', () => {
  for (const bad of ['', 'abc', '1K', '1.2.3', '12 Mi', 'Mi', null, undefined, {}, NaN, '1e', '--1']) {
    expect(parseQuantity(bad)).toBeNull();
  }
});

test('formats in the canonical form kubectl prints', () => {
  const f = (s: string) => formatQuantity(parseQuantity(s)!);
  expect(f('0.5')).toBe('500m');
  expect(f('2.5')).toBe('2500m');
  expect(f('1000m')).toBe('1');
  expect(f('1024Mi')).toBe('1Gi');
  expect(f('1536Mi')).toBe('1536Mi');
  expect(f('1G')).toBe('1G');
  expect(f('1500000')).toBe('1500k');
  expect(f('1e3')).toBe('1k');
  expect(f('0')).toBe('0');
  // a binary value below 1024 (or fractional) is printed in decimal, like BinarySI canonicalization
  expect(f('0.5Ki')).toBe('512');
  const sum = addQuantity(parseQuantity('512Mi')!, addQuantity(parseQuantity('128Mi')!, parseQuantity('64Mi')!));
  expect(formatQuantity(sum)).toBe('704Mi');
});
