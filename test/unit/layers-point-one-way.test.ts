// The runner's folders are layers, and imports point one way: down. A folder imports its own files
// and folders of lower layers only; two folders of the same layer do not import each other. The
// import graph is read from the source of runner/src (static, type-only, re-export and dynamic
// imports alike, since a type import couples the layers just as much).
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** Layer of each top-level folder of runner/src, top first. */
const LAYERS: readonly (readonly string[])[] = [
  ['cli'], // parses flags, prints
  ['pipeline'], // the batch run: stages in order, then the benchmark, then publishing
  ['platforms', 'benchmark'], // where stages run; the query benchmark
  ['spark-jobs'], // the Spark job contract: job documents, their reports, the bronze judge
  ['spark-jobs'], // the PySpark jobs' contract: job documents, their reports, bronze observations
  ['sql'], // the statements, written once in the reference dialect
  ['datagen'], // the bronze generator
  ['engines', 'storage', 'report'], // query engines; results stores and S3; the HTML report
  ['model'], // metrics schema, verdict, scorecard, sizing: decisions on plain data
  ['config'], // the config schema
  ['util'], // errors, atomic files
];

const SRC = path.resolve(__dirname, '../../runner/src');

function rankOf(folder: string): number {
  const rank = LAYERS.findIndex((layer) => layer.includes(folder));
  if (rank < 0) throw new Error(`runner/src/${folder} is in no layer: add it to LAYERS`);
  return LAYERS.length - rank;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    return d.isDirectory() ? sourceFiles(p) : /\.(ts|mts|cts)$/.test(d.name) && !d.name.endsWith('.d.ts') ? [p] : [];
  });
}

/** Every module specifier the file imports or re-exports, statically or dynamically. */
function importSpecifiers(text: string): string[] {
  const out: string[] = [];
  const patterns = [
    /^\s*(?:import|export)\s[^'"`;]*?\sfrom\s*['"]([^'"]+)['"]/gm, // import x from, import type, export … from
    /^\s*import\s*['"]([^'"]+)['"]/gm, // side-effect import
    /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g, // dynamic import
  ];
  for (const re of patterns) for (const m of text.matchAll(re)) out.push(m[1]!);
  return out;
}

type Edge = { from: string; to: string };

/** Imports between top-level folders of runner/src (a file directly in runner/src counts as its own folder). */
function folderEdges(root: string): Edge[] {
  const top = (file: string) => path.relative(root, file).split(path.sep)[0]!;
  return sourceFiles(root).flatMap((file) =>
    importSpecifiers(readFileSync(file, 'utf8'))
      .filter((s) => s.startsWith('.'))
      .map((s) => path.resolve(path.dirname(file), s))
      .filter((target) => target.startsWith(root + path.sep))
      .map((target) => ({ from: `${top(file)} (${path.relative(root, file)})`, to: top(target), fromFolder: top(file) }))
      .filter((e) => e.fromFolder !== e.to)
      .map(({ from, to }) => ({ from, to })),
  );
}

/** The imports that do not point down: to a higher layer, or across to another folder of the same layer. */
function upwardImports(root: string): string[] {
  return folderEdges(root)
    .filter((e) => rankOf(e.to) >= rankOf(e.from.split(' ')[0]!))
    .map((e) => `${e.from} imports ${e.to}/`);
}

describe('layers point one way (cli → pipeline → platforms/benchmark → spark-jobs → sql → datagen → engines/storage/report → model → config → util)', () => {
  it('finds every kind of import: static, type-only, re-export, side-effect and dynamic', () => {
    const text = [
      "import { a } from '../model/metrics.js';",
      "import type { B } from '../datagen/manifest.js';",
      'import {\n  c,\n  d,\n} from "../sql/queries.js";',
      "export { e } from './e.js';",
      "export * from '../util/errors.js';",
      "import '../config/schema.js';",
      "const f = await import('../pipeline/run-batch.js');",
      "// import { g } from '../commented-out.js' is not at a line start after the comment marker",
    ].join('\n');
    expect(importSpecifiers(text)).toEqual(['../model/metrics.js', '../datagen/manifest.js', '../sql/queries.js', './e.js', '../util/errors.js', '../config/schema.js', '../pipeline/run-batch.js']);
  });

  it('places every folder of runner/src in a layer', () => {
    const folders = readdirSync(SRC, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
    for (const f of folders) expect(() => rankOf(f), f).not.toThrow();
  });

  it('has no import from a lower layer to a higher one, nor across folders of one layer', () => {
    expect(upwardImports(SRC)).toEqual([]);
  });

  it('model/ imports no pipeline, platform, datagen or sql module, and storage/ does not import report/', () => {
    const edges = folderEdges(SRC);
    expect(edges.filter((e) => e.from.startsWith('model ') && ['pipeline', 'platforms', 'datagen', 'sql'].includes(e.to))).toEqual([]);
    expect(edges.filter((e) => e.from.startsWith('storage ') && e.to === 'report')).toEqual([]);
  });
});
