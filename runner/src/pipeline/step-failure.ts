// How a step that threw is recorded: which engine it names and which resources it is charged for,
// so the failed entry of any step says the same as its successful one would.
import type { LakebenchConfig } from '../config/schema.js';
import type { StageEntry, StageName } from '../model/metrics.js';
import { isBatchStage, type BatchStage } from '../model/stage-report.js';
import { observedEntry } from '../model/stage-entry.js';
import type { Platform } from '../platforms/platform.js';
import { errorMessage } from '../util/errors.js';

/** The resource profile a step is charged: a batch stage its own; datagen and the runner-side steps the nearest stage's. */
export function resourceProfileOf(step: StageName): BatchStage {
  if (isBatchStage(step)) return step;
  return step === 'datagen' ? 'bronze-verify' : 'gold-finalize';
}

export type StepEngines = { pipeline: StageEntry['engine']; query: StageEntry['engine'] };

/** The engine a step ran on: datagen its own, the benchmark the platform's query engine, the rest the pipeline engine. */
export function engineOf(step: StageName, engines: StepEngines): StageEntry['engine'] {
  if (step === 'datagen') return 'datagen';
  if (step === 'benchmark') return engines.query;
  return engines.pipeline;
}

/** The stages[] entry of a step that threw: named with its own engine, charged its own resources. */
export function failedStepEntry(platform: Platform, config: LakebenchConfig, step: StageName, start: Date, error: unknown, end = new Date()): StageEntry {
  const engine = engineOf(step, { pipeline: platform.pipelineEngine, query: platform.queryEngineType(config) });
  return observedEntry(step, engine, start, end, 'failed', platform.resources(resourceProfileOf(step)), { error: { message: errorMessage(error), reason: 'ERROR', log_tail: null } });
}
