// What the rule modules (blockers, advice) receive: the raw inputs plus everything already derived,
// so that each rule reads facts instead of recomputing them.
import type { ClassifiedContainer } from './classify.js';
import type { PodEvent } from './events.js';
import type { Pod } from './k8s.js';
import type { ContainerLogs, ModelContext, PodModel, SourceState } from './types.js';

/** The derived sections are the model's own (facts, types.ts PodModel), read before any wording. */
export interface PodAnalysis extends Pick<PodModel, 'containers' | 'timeline' | 'restarts' | 'termination'> {
  pod: Pod;
  classified: ClassifiedContainer[];
  events: PodEvent[];
  logs: Record<string, ContainerLogs>;
  sources: { events: SourceState; logs: SourceState };
  ctx: ModelContext;
  summary: PodModel['pod'];
}
