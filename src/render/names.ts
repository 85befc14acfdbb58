// -o name, as `kubectl get pods -o name` prints it: one `pod/NAME` per line (for xargs and loops).
import type { PodModelList } from '../model/types.js';
import { escapeTerminal } from './sanitize.js';

export function renderNames(list: PodModelList): string {
  return list.items.map((lc) => `pod/${escapeTerminal(lc.pod.name)}\n`).join('');
}
