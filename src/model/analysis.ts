// What the rule modules (blockers, advice) receive: the raw inputs plus everything already derived,
// so that each rule reads facts instead of recomputing them.
import type { ClassifiedContainer } from './classify.js';
import type { PodEvent } from './events.js';
import type { Pod } from './k8s.js';
import type {
  ContainerLifecycle, ContainerLogs, ModelContext, PodSummary, RestartHistory, Termination, TimelineEntry, SourceState,
} from './types.js';

export interface PodAnalysis {
  pod: Pod;
  classified: ClassifiedContainer[];
  events: PodEvent[];
  logs: Record<string, ContainerLogs>;
  sources: { events: SourceState; logs: SourceState };
  ctx: ModelContext;
  summary: PodSummary;
  containers: ContainerLifecycle[];
  timeline: TimelineEntry[];
  restarts: RestartHistory[];
  termination: Termination | null;
}
