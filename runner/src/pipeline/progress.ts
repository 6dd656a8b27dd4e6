// Progress events the orchestrator emits; the CLI decides how to show them.
import type { DatagenProgress } from '../datagen/generate-dataset.js';
import type { QueryOutcome } from '../engines/engine.js';

export interface Progress {
  line(message: string): void;
  datagen(p: DatagenProgress): void;
  stage(name: string): { done(ok: boolean, detail?: string): void };
  query(e: { query: string; iteration: number; outcome: QueryOutcome }): void;
}
