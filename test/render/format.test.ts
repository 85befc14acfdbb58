import { age, formatOffset, humanDuration, isPrecise, offsetFrom, span, wrap } from '../../src/render/format.js';

describe('formatOffset', () => {
  test('second-precision times get one decimal, log-refined ones two', () => {
    // ordering: pod start 22:56:16Z; init-config status start 22:56:17Z, its first log line 22:56:17.723732621Z
    expect(offsetFrom('2026-11-21T22:56:16Z', '2026-11-21T22:56:17Z')).toBe('+1.0s');
    expect(offsetFrom('2026-11-21T22:56:16Z', '2026-11-21T22:56:17.723732621Z')).toBe('+1.72s');
    expect(isPrecise('2026-11-21T22:56:17.000000000Z')).toBe(false);
  });
  test('minutes, hours, days, negatives and rounding at the minute', () => {
    expect(formatOffset(123)).toBe('+2m03s');
    expect(formatOffset(3720)).toBe('+1h02m');
    expect(formatOffset(90000)).toBe('+1d01h');
    expect(formatOffset(-0.4)).toBe('-0.4s');
    expect(formatOffset(59.96)).toBe('+1m00s');
    expect(offsetFrom(null, '2026-11-21T22:56:17Z')).toBeNull();
  });
});

describe('kubectl ages (duration.HumanDuration)', () => {
  test.each([
    [45, '45s'], [119, '119s'], [192, '3m12s'], [180, '3m'], [2700, '45m'], [11100, '3h5m'],
    [7200 * 4, '8h'], [30 * 3600, '30h'], [3 * 86400 + 4 * 3600, '3d4h'], [45 * 86400, '45d'], [-5, '<invalid>'],
  ])('%ss → %s', (s, out) => expect(humanDuration(s)).toBe(out));
  // prose durations are the same format, rounded, with a tenth below 10 s
  test.each([[0.44, '0.4s'], [9.96, '10s'], [12.4, '12s'], [33.6, '34s'], [65, '65s'], [192, '3m12s'], [2700, '45m'], [-3, '0s']])(
    'span(%s) → %s', (s, out) => expect(span(s)).toBe(out));
  test('age at a fixed now, unknown without a time', () => {
    expect(age('2026-11-21T22:56:16Z', '2026-11-21T22:56:25.694061645Z')).toBe('9s');
    expect(age(null, '2026-11-21T22:56:25Z')).toBe('<unknown>');
  });
});

test('wrap cuts a word of 20,000 wide characters in one pass: every piece fits, nothing is lost', () => {
  const word = '界'.repeat(20_000);
  const t0 = Date.now();
  const lines = wrap(word, 80, 0, 0);
  expect(Date.now() - t0).toBeLessThan(5000); // cutting the rest again and again took minutes
  expect(lines.join('')).toBe(word);
  expect(lines.every((l) => l.length * 2 <= 80)).toBe(true);
});
