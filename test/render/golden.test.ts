// Golden files: every recorded snapshot, described with "now" = the moment it was taken, rendered as
// text (no colour, width 100) and compared with test/golden/<scenario>.<snapshot>.txt. The goldens are
// reviewed as diffs: regenerate with UPDATE_GOLDEN=1 and read what changed.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describePods } from '../../src/model/describe.js';
import { renderText } from '../../src/render/text.js';
import { contextOf, loadSnapshot, scenarios } from '../model/evidence.js';

const GOLDEN = join(process.cwd(), 'test', 'golden');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

describe('golden text output of every recorded snapshot', () => {
  test.each(scenarios().map((s) => [`${s.scenario}.${s.snapshot}`, s.scenario, s.snapshot]))('%s', (key, scenario, snapshot) => {
    const ctx = contextOf(scenario, snapshot);
    const list = describePods(loadSnapshot(scenario, snapshot), ctx);
    const out = renderText(list, { output: 'text', noHeaders: false, color: false, width: 100 }, ctx.now);
    const file = join(GOLDEN, `${key}.txt`);
    if (UPDATE || !existsSync(file)) {
      mkdirSync(GOLDEN, { recursive: true });
      writeFileSync(file, out);
    }
    expect(out).toBe(readFileSync(file, 'utf8'));
    // the charts fit the width (tables and prose are as long as their content, like kubectl's)
    expect(out.split('\n').filter((l) => /[━┬▲■✕▶]/.test(l) && [...l].length > 100)).toEqual([]);
  });
});
