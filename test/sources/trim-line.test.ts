// api.ts trimLine: the watch cuts managedFields and kubectl's last-applied annotation from each
// event's text before parsing it, and keeps that text (model/watch/store.ts). Whatever it cuts,
// the parse must equal what trimObject leaves of the whole line: checked on every recorded watch
// line (pods and events of every scenario), then on text in shapes it must leave alone.
import { recordedWatchLines } from '../apiserver/recordings.js';
import { trimLine, trimObject, untrimmed } from '../../src/sources/api.js';

const trimmedWhole = (line: string) => {
  const o = JSON.parse(line);
  trimObject(o.object ?? o);
  return o;
};

describe('trimLine on every recorded watch line', () => {
  const lines = recordedWatchLines();

  test('the parse of the cut text equals trimObject of the whole line, and nothing is left to trim', () => {
    expect(lines.length).toBeGreaterThan(500);
    const bad: string[] = [];
    let managed = 0;
    let applied = 0;
    for (const { where, line } of lines) {
      const whole = JSON.parse(line);
      if (whole.object?.metadata?.managedFields) managed++;
      if (whole.object?.metadata?.annotations?.['kubectl.kubernetes.io/last-applied-configuration']) applied++;
      const cut = JSON.parse(trimLine(line));
      if (untrimmed(cut.object)) bad.push(`${where}: left something`);
      else if (JSON.stringify(cut) !== JSON.stringify(trimmedWhole(line))) bad.push(`${where}: differs`);
    }
    expect(bad).toEqual([]);
    // the recordings hold both: the cut was exercised, not skipped
    expect(managed).toBeGreaterThan(500);
    expect(applied).toBeGreaterThan(50);
  });

  test('a pod line loses about a third of its text', () => {
    const pods = lines.filter((l) => l.where.includes('pods.watch'));
    const before = pods.reduce((n, l) => n + l.line.length, 0);
    const after = pods.reduce((n, l) => n + trimLine(l.line).length, 0);
    expect(after / before).toBeLessThan(0.75);
  });
});

describe('trimLine on text in other shapes', () => {
  const pod = (metadata: string) => `{"type":"MODIFIED","object":{"kind":"Pod","metadata":{${metadata}},"spec":{"containers":[{"name":"a"}]}}}`;

  test.each([
    ['managedFields first and last member', pod('"managedFields":[{"manager":"k"}]')],
    ['managedFields between members', pod('"name":"p","managedFields":[{"fieldsV1":{"f:metadata":{"f:labels":{"k:{\\"x\\":\\"]\\"}":{}}}}}],"uid":"u"')],
    ['escaped quotes and brackets in managedFields strings', pod('"managedFields":[{"manager":"a\\"],\\\\","fieldsV1":{"f:spec":{}}}]')],
    ['a label named like the annotation (kept)', pod('"labels":{"kubectl.kubernetes.io/last-applied-configuration":"keep"},"managedFields":[]')],
    ['the annotation whole, escapes inside', pod('"annotations":{"a":"b","kubectl.kubernetes.io/last-applied-configuration":"{\\"x\\":\\"}\\"}\\n"},"managedFields":[]')],
    ['the key quoted inside another annotation', pod('"annotations":{"note":"\\"managedFields\\":[1]","kubectl.kubernetes.io/last-applied-configuration":"x"},"managedFields":[{}]')],
  ])('cut exactly: %s', (_what, line) => {
    const cut = JSON.parse(trimLine(line));
    expect(untrimmed(cut.object)).toBe(false);
    expect(cut).toEqual(trimmedWhole(line));
  });

  // What it does not know it leaves: the watch then trims the object and does not keep the text.
  test.each([
    ['annotations after managedFields (another writer\'s order)', pod('"managedFields":[],"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"x"}')],
    ['no managedFields', pod('"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"x"}')],
    ['spaces after colons', `{"type":"ADDED","object":{"metadata":{"managedFields": [{"a":1}], "name":"p"}}}`],
  ])('left to trimObject: %s', (_what, line) => {
    const cut = JSON.parse(trimLine(line));
    expect(untrimmed(cut.object)).toBe(true);
    expect(cut).toEqual(trimmedWhole(line));
  });

  test('recorded lines cut short stay invalid: a broken line is never made whole', () => {
    const line = recordedWatchLines().find((l) => l.where.startsWith('istio-native/pods'))!.line;
    for (let end = 10; end < line.length; end += 97) {
      const part = line.slice(0, end);
      expect(() => JSON.parse(trimLine(part))).toThrow(SyntaxError);
    }
  });
});
