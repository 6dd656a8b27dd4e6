// Which values files are rendered, and how: the validated combinations are overlays on the tiny
// profile; profiles without the in-chart Garage get an external S3 fixture; ci/ files stand alone.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../harness/cache.js';
import { chartDir } from './tools.js';

export type RenderCase = { name: string; files: string[] };

const valuesDir = path.join(repoRoot, 'values');
const fixture = (name: string) => path.join(repoRoot, 'test', 'chart', 'fixtures', name);
const yamlIn = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();

const SIZE_ORDER = ['tiny', 'small', 'medium', 'large'];
const rank = (f: string) => {
  const i = SIZE_ORDER.indexOf(f.replace(/^profile-|\.yaml$/g, ''));
  return i < 0 ? SIZE_ORDER.length : i;
};
/** Profile files, smallest first (unknown names last). */
export const profiles = yamlIn(valuesDir)
  .filter((f) => f.startsWith('profile-'))
  .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
export const combinations = yamlIn(valuesDir).filter((f) => !f.startsWith('profile-'));
export const ciFiles = yamlIn(path.join(chartDir, 'ci'));

/** The user's own runner image, which every install must name (no public registry serves it). */
export const runnerImageFixture = fixture('runner-image.yaml');

/** The values files a profile needs to render (non-tiny profiles expect the user's external S3). */
export function profileFiles(profile: string): string[] {
  const files = [runnerImageFixture, path.join(valuesDir, profile)];
  return profile === 'profile-tiny.yaml' ? files : [fixture('external-s3.yaml'), ...files];
}

export const renderCases: RenderCase[] = [
  ...profiles.map((p) => ({ name: `values/${p}`, files: profileFiles(p) })),
  ...combinations.map((c) => ({ name: `values/${c} (on profile-tiny)`, files: [...profileFiles('profile-tiny.yaml'), path.join(valuesDir, c)] })),
  ...ciFiles.map((c) => ({ name: `ci/${c}`, files: [path.join(chartDir, 'ci', c)] })),
];

/** Every profile with every validated combination (for the requests table). */
export const profileCombinationCases: (RenderCase & { profile: string; combination: string })[] = profiles.flatMap((p) =>
  combinations.map((c) => ({
    name: `${p} + ${c}`,
    profile: p.replace(/^profile-|\.yaml$/g, ''),
    combination: c.replace(/\.yaml$/, ''),
    files: [...profileFiles(p), path.join(valuesDir, c)],
  })),
);
