// Progress that also feeds the runner's Prometheus gauges: every event goes to the wrapped
// progress (the console) unchanged, and updates the gauges the metrics endpoint serves.
import type { Progress } from '../pipeline/progress.js';
import type { RunGauges } from '../platforms/kubernetes/run-gauges.js';

export class MetricsProgress implements Progress {
  constructor(
    private readonly inner: Progress,
    private readonly gauges: RunGauges,
  ) {}

  line(message: string): void {
    this.inner.line(message);
  }

  datagen(p: Parameters<Progress['datagen']>[0]): void {
    this.gauges.datagen(p.done, p.total);
    this.inner.datagen(p);
  }

  stage(name: string): { done(ok: boolean, detail?: string): void } {
    this.gauges.stageStarted(name);
    const timer = this.inner.stage(name);
    return {
      done: (ok, detail) => {
        this.gauges.stageEnded(name, ok);
        timer.done(ok, detail);
      },
    };
  }

  query(e: Parameters<Progress['query']>[0]): void {
    this.gauges.queryExecuted(e.query, e.outcome.ok, e.outcome.elapsedSeconds);
    this.inner.query(e);
  }
}
