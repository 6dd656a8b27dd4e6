// When the three streaming jobs count as up on a cluster (streams-up.ts): once each wrote this run's
// job report, not when the operator accepted their applications. On the real node the drivers took
// 2–5 min after submission to write it; a run whose duration counted from the submission deleted its
// jobs before their first micro-batch (test/cluster/continuous.test.ts).
import { describe, expect, it } from 'vitest';
import { appView } from '../../runner/src/platforms/kubernetes/streaming/app-state.js';
import { streamsUp, type JobStart } from '../../runner/src/platforms/kubernetes/streaming/streams-up.js';

const app = (state: string | undefined) => ({ metadata: { name: 'x' }, status: state ? { applicationState: { state } } : undefined });
const jobs = (...specs: [string | undefined, boolean][]): JobStart[] =>
  (['bronze-ingest', 'silver-stream', 'gold-refresh'] as const).map((job, i) => ({ job, view: appView(app(specs[i]![0]), false), reportWritten: specs[i]![1] }));

describe('streams up', () => {
  it('waits while a job has not written its report, even when the operator says RUNNING', () => {
    expect(streamsUp(jobs(['RUNNING', true], ['RUNNING', false], [undefined, false]))).toEqual({ kind: 'waiting', waitingFor: ['silver-stream (RUNNING)', 'gold-refresh (NEW)'] });
  });

  it('is up once every job wrote its report', () => {
    expect(streamsUp(jobs(['RUNNING', true], ['RUNNING', true], ['RUNNING', true]))).toEqual({ kind: 'up' });
  });

  it('fails when the operator gave up on a job before all were up, naming it', () => {
    const up = streamsUp(jobs(['RUNNING', true], ['FAILED', false], ['RUNNING', false]));
    expect(up).toEqual({ kind: 'failed', job: 'silver-stream', error: 'the operator gave up on it (FAILED)' });
  });

  it("fails when a job's application was deleted before all were up", () => {
    const up = streamsUp([{ job: 'bronze-ingest', view: appView(undefined, true), reportWritten: false }]);
    expect(up).toMatchObject({ kind: 'failed', job: 'bronze-ingest' });
  });
});
