// Continuous mode from the chart: runner.config.pipeline.mode and runner.config.continuous.* reach the
// runner's config.yaml, which the runner's own configSchema accepts with every value carried; the
// values' defaults are the schema's; the default stays batch; bad values fail the render naming the
// value (values.schema.json, and the template for the landing rates' "not both"); and nothing in the
// runner Job or CronJob cuts a long run short.
import path from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../runner/src/config/schema.js';
import { repoRoot } from '../harness/cache.js';
import { byKind, component, helmTemplate, podSpecs, type K8sObject } from './helpers/render.js';
import { chartDir, helmVersions, requireTools, run, type HelmName } from './helpers/tools.js';

const tiny = [path.join(repoRoot, 'values', 'profile-tiny.yaml'), path.join(repoRoot, 'values', 'hive-iceberg-trino.yaml')];
const continuousFile = path.join(repoRoot, 'test', 'chart', 'fixtures', 'continuous.yaml');
const image = 'runner.image.repository=registry.example/lakebench-runner';

beforeAll(requireTools);

function rawRunnerConfig(objects: K8sObject[]): Record<string, unknown> {
  const cm = byKind(objects, 'ConfigMap').find((c) => c.metadata.name.endsWith('-runner')) as unknown as { data: Record<string, string> } | undefined;
  if (!cm) throw new Error('no runner ConfigMap');
  return parse(cm.data['config.yaml']!) as Record<string, unknown>;
}
const render = (files: string[], sets: string[] = []) => helmTemplate('helm3', [...tiny, ...files], [image, ...sets]).objects;

describe('runner.config continuous values', () => {
  it('by default the run is batch and the config carries no continuous block', () => {
    const raw = rawRunnerConfig(render([]));
    expect(raw.pipeline).toEqual({ mode: 'batch' });
    expect(raw).not.toHaveProperty('continuous');
    expect(configSchema.parse(raw).pipeline.mode).toBe('batch');
  });

  it('a continuous release gives the runner every continuous value, accepted by its configSchema', () => {
    const raw = rawRunnerConfig(render([continuousFile]));
    const result = configSchema.safeParse(raw);
    expect(result.success, result.success ? '' : JSON.stringify(result.error.issues, null, 1)).toBe(true);
    const config = result.data!;
    expect(config.pipeline.mode).toBe('continuous');
    expect(config.continuous).toEqual({
      durationSeconds: 900,
      // mbPerSecond 0 is "unset": the schema allows only one of the two rates.
      landing: { filesPerMinute: 12 },
      triggers: { bronzeSeconds: 15, silverSeconds: 45, goldRefreshSeconds: 120 },
      maxFilesPerTrigger: 8,
      checkpointBase: 'runs/checkpoints',
      rounds: { schedule: '*/30 * * * * *', warmupSeconds: 90, q9RetryWaitSeconds: 5, q9MaxAttempts: 2 },
      saturationRatio: 0.9,
      maintenance: { retentionIntervalSeconds: 600, retentionThresholdSeconds: 900, compactionIntervalSeconds: 1200 },
    });
  });

  it("the chart's continuous defaults are the runner schema's defaults", () => {
    const raw = rawRunnerConfig(render([], ['runner.config.pipeline.mode=continuous']));
    expect(configSchema.parse(raw).continuous).toEqual(configSchema.parse({ pipeline: { mode: 'continuous' } }).continuous);
    // Both rates 0: no rate reaches the runner, which lands its default 2 files a minute.
    expect((raw.continuous as { landing: unknown }).landing).toEqual({});
  });

  it('a landing rate in MB/s reaches the runner alone', () => {
    const raw = rawRunnerConfig(render([continuousFile], ['runner.config.continuous.landing.filesPerMinute=0', 'runner.config.continuous.landing.mbPerSecond=5']));
    expect(configSchema.parse(raw).continuous.landing).toEqual({ mbPerSecond: 5 });
  });

  it('neither the run Job nor the CronJob has a deadline that would end a continuous run early', () => {
    const objects = render([continuousFile], ['runner.schedule=0 3 * * *']);
    const runners = podSpecs(objects).filter(({ owner }) => component(owner) === 'runner' && ['Job', 'CronJob'].includes(owner.kind));
    expect(runners.map(({ owner }) => owner.kind).sort()).toEqual(['CronJob', 'Job']);
    for (const { owner, spec } of runners) {
      const jobSpec = (owner.kind === 'Job' ? owner.spec : (owner.spec as { jobTemplate: { spec: unknown } }).jobTemplate.spec) as Record<string, unknown>;
      expect(jobSpec, `${owner.kind}/${owner.metadata.name}`).not.toHaveProperty('activeDeadlineSeconds');
      expect(spec, `${owner.kind}/${owner.metadata.name}`).not.toHaveProperty('activeDeadlineSeconds');
    }
  });

  it("a cron expression the chart's pattern admits but node-cron refuses is refused by the runner's schema (exit 2 at start)", () => {
    const raw = rawRunnerConfig(render([continuousFile], ['runner.config.continuous.rounds.schedule=61 * * * *']));
    const result = configSchema.safeParse(raw);
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => i.path.join('.'))).toContain('continuous.rounds.schedule');
  });
});

const bad: { what: string; sets: string[]; names: RegExp }[] = [
  { what: 'an unknown pipeline mode', sets: ['runner.config.pipeline.mode=streaming'], names: /runner[./]config[./]pipeline[./]mode/ },
  { what: 'a run shorter than 60 s', sets: ['runner.config.continuous.durationSeconds=30'], names: /runner[./]config[./]continuous[./]durationSeconds/ },
  { what: 'both landing rates', sets: ['runner.config.continuous.landing.filesPerMinute=3', 'runner.config.continuous.landing.mbPerSecond=2'], names: /runner\.config\.continuous\.landing: set filesPerMinute or mbPerSecond, not both/ },
  { what: 'a negative landing rate', sets: ['runner.config.continuous.landing.filesPerMinute=-1'], names: /runner[./]config[./]continuous[./]landing[./]filesPerMinute/ },
  { what: 'a zero trigger', sets: ['runner.config.continuous.triggers.silverSeconds=0'], names: /runner[./]config[./]continuous[./]triggers[./]silverSeconds/ },
  { what: 'a checkpoint prefix leaving its bucket prefix', sets: ['runner.config.continuous.checkpointBase=../elsewhere'], names: /runner[./]config[./]continuous[./]checkpointBase/ },
  { what: 'a schedule that is not a cron expression', sets: ['runner.config.continuous.rounds.schedule=hourly'], names: /runner[./]config[./]continuous[./]rounds[./]schedule/ },
  { what: 'a saturation ratio above 1', sets: ['runner.config.continuous.saturationRatio=2'], names: /runner[./]config[./]continuous[./]saturationRatio/ },
  { what: 'an unknown continuous key', sets: ['runner.config.continuous.durationSecs=600'], names: /durationSecs/ },
  { what: 'a retention interval under 300 s', sets: ['runner.config.continuous.maintenance.retentionIntervalSeconds=60'], names: /runner[./]config[./]continuous[./]maintenance[./]retentionIntervalSeconds/ },
  { what: 'a compaction interval neither 0 nor at least 300 s', sets: ['runner.config.continuous.maintenance.compactionIntervalSeconds=100'], names: /runner[./]config[./]continuous[./]maintenance[./]compactionIntervalSeconds/ },
];

describe.each(Object.keys(helmVersions) as HelmName[])('%s template', (helm) => {
  it.each(bad)('rejects $what, naming the value', ({ sets, names }) => {
    const args = ['template', 'lakebench', chartDir, ...tiny.flatMap((f) => ['-f', f]), ...[image, 'runner.config.pipeline.mode=continuous', ...sets].flatMap((s) => ['--set', s])];
    const result = run(helmVersions[helm], args);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(names);
  });
});
