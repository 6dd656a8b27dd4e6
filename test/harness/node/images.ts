// Locally built images: every $LAKEBENCH_CACHE/images/<slug>.tar (an oci-archive) is imported into
// containerd's CRI namespace under the reference in <slug>.ref, the exact name a manifest or the
// chart uses, so pods run it with imagePullPolicy IfNotPresent and nothing is ever pulled.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { imageCacheDir } from './binaries.js';
import { ctr, type Snapshotter } from './containerd.js';
import { runTool } from './host/run.js';

export type ImageArchive = { slug: string; archive: string; ref: string };

/**
 * The fully qualified form containerd stores and the kubelet asks for, as Docker normalizes
 * references: `postgres:17` is `docker.io/library/postgres:17`, a missing tag is `latest`.
 */
export function normalizeImageRef(ref: string): string {
  const trimmed = ref.trim();
  if (!/^[a-z0-9][a-z0-9._\-/:@]*$/i.test(trimmed)) throw new Error(`not an image reference: "${ref}"`);
  const [first = '', ...rest] = trimmed.split('/');
  const hasDomain = rest.length > 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  let named = hasDomain ? trimmed : `docker.io/${trimmed}`;
  if (!hasDomain && rest.length === 0) named = `docker.io/library/${trimmed}`;
  const lastSegment = named.slice(named.lastIndexOf('/') + 1);
  return lastSegment.includes(':') || named.includes('@') ? named : `${named}:latest`;
}

/** The name without tag or digest, e.g. docker.io/library/postgres. */
export function imageRepository(normalizedRef: string): string {
  const withoutDigest = normalizedRef.split('@')[0] ?? normalizedRef;
  const slash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  return colon > slash ? withoutDigest.slice(0, colon) : withoutDigest;
}

export function localImageArchives(dir = imageCacheDir): ImageArchive[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.tar'))
    .sort()
    .map((file) => {
      const slug = file.slice(0, -'.tar'.length);
      const refFile = path.join(dir, `${slug}.ref`);
      if (!existsSync(refFile)) throw new Error(`${path.join(dir, file)} has no ${slug}.ref naming the image reference to import it under`);
      return { slug, archive: path.join(dir, file), ref: normalizeImageRef(readFileSync(refFile, 'utf8')) };
    });
}

export function localImageRef(slug: string, dir = imageCacheDir): string {
  const found = localImageArchives(dir).find((a) => a.slug === slug);
  if (!found) throw new Error(`no image archive ${path.join(dir, `${slug}.tar`)}: run bash test/setup/install.sh`);
  return found.ref;
}

export async function importedImages(): Promise<string[]> {
  return (await ctr(['images', 'list', '--quiet'])).stdout.split('\n').filter(Boolean);
}

/** The digest of the (single) manifest an oci-archive's index.json points at. */
async function archiveManifestDigest(archive: string): Promise<string> {
  const index = JSON.parse((await runTool('tar', ['-xOf', archive, 'index.json'])).stdout) as { manifests?: { digest?: string }[] };
  const digest = index.manifests?.[0]?.digest;
  if (!digest || index.manifests?.length !== 1) throw new Error(`${archive}: index.json must list exactly one manifest`);
  return digest;
}

/**
 * Imports every archive not already stored under its reference with the same manifest; returns
 * the seconds each took (0: already there). containerd names an imported image after
 * the archive's ref.name annotation; when that is not already the .ref's reference (a short name,
 * a bare tag), the imported manifest is tagged with it. Fails naming the archive otherwise.
 */
export async function importImages(archives: ImageArchive[], snapshotter: Snapshotter): Promise<Record<string, number>> {
  const seconds: Record<string, number> = {};
  for (const image of archives) {
    const started = Date.now();
    const digest = await archiveManifestDigest(image.archive);
    const stored = (await ctr(['images', 'list'])).stdout.split('\n').map((line) => line.split(/\s+/));
    if (stored.some(([name, , manifest]) => name === image.ref && manifest === digest)) {
      seconds[image.ref] = 0; // already in the persistent store (layout.ts, containerdRootDir)
      continue;
    }
    const result = await ctr(['images', 'import', '--snapshotter', snapshotter, '--base-name', imageRepository(image.ref), image.archive], { timeoutMs: 600_000 });
    const listing = (await ctr(['images', 'list'])).stdout.split('\n').map((line) => line.split(/\s+/));
    if (!listing.some(([name, , manifest]) => name === image.ref && manifest === digest)) {
      const imported = listing.find(([name, , manifest]) => manifest === digest && name && !name.startsWith('sha256:'))?.[0];
      if (!imported) throw new Error(`importing ${image.archive} (manifest ${digest}) created no image: ${result.stdout}${result.stderr}`);
      await ctr(['images', 'tag', '--force', imported, image.ref]);
    }
    seconds[image.ref] = (Date.now() - started) / 1000;
  }
  return seconds;
}
