// `lakebench plan` for a continuous config: what a continuous run submits instead of the batch stages
// (the base set's datagen, when missing, is the batch plan's Job), as multi-document YAML with the
// streaming sizing and budget as leading comments, ready for `kubectl apply --dry-run=server -f -`.
import { stringify } from 'yaml';
import type { LakebenchConfig } from '../../../config/schema.js';
import { clusterDatasetParams } from '../../../datagen/datagen-task.js';
import type { Manifest } from '../../../datagen/manifest.js';
import type { Plan } from '../manifests/plan.js';
import { projectedManifest } from '../manifests/projected-manifest.js';
import { streamingObjects } from './streaming-plan.js';
import { streamingLines, type ClusterCpu } from './streaming-sizing.js';

/** `manifest`: the base set's (`--manifest`), else projected from the config. */
export function continuousPlanYaml(config: LakebenchConfig, batch: Plan, manifest?: Manifest, cluster?: ClusterCpu): string {
  const base = manifest ?? projectedManifest(clusterDatasetParams(config, batch.scale));
  const referenceDate = config.asOfDate?.slice(0, 10) ?? base.totals.event_date_max;
  const o = streamingObjects(config, { runId: batch.runId, manifest: base, referenceDate, scale: batch.scale, cluster });
  const header = [
    `lakebench plan: continuous mode, scale ${batch.scale}, run ${batch.runId}, namespace ${batch.settings.namespace}`,
    `${config.continuous.durationSeconds} s; landing ${o.landing.interval_ms / 1000} s per file from index ${o.landing.first_index}; triggers ${config.continuous.triggers.bronzeSeconds} / ${config.continuous.triggers.silverSeconds} / ${config.continuous.triggers.goldRefreshSeconds} s`,
    '',
    ...streamingLines(o.sizing),
  ].map((l) => (l ? `# ${l}` : '#'));
  const datagen = batch.objects.filter((x) => x.kind === 'Job' || x.metadata.name.startsWith('lakebench-datagen-'));
  const objects = [o.scripts, ...datagen, ...o.jobs.map((j) => j.document), o.landingTask, o.landingJob, ...o.jobs.map((j) => j.app)];
  const docs = objects.map((x) => stringify(x, { lineWidth: 0, aliasDuplicateObjects: false }).trimEnd());
  return `${header.join('\n')}\n---\n${docs.join('\n---\n')}\n`;
}
