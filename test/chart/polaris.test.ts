// The chart's Polaris against what the pinned release accepts (recorded with its sources in
// upstream/polaris-1.7.0.ts): image tags, every server property and environment variable, the admin
// tool started through the image's own entrypoint, and every management-API call and request body of
// files/scripts/polaris_bootstrap.py (bodies produced by the script itself, with the rendered Job's
// environment). Polaris ignores JSON properties it does not know, so a body field the pinned release
// lacks (stsUnavailable on 1.1.0) fails silently at run time: only a check like this one catches it.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { byKind, component, helmTemplate, podSpecs, type Container, type K8sObject } from './helpers/render.js';
import { renderCases } from './helpers/matrix.js';
import { chartDir, requireTools, run, venvBin } from './helpers/tools.js';
import {
  POLARIS_VERSION,
  adminBootstrap,
  devOnlyProperties,
  knownEnvironment,
  knownProperties,
  managementBasePath,
  operations,
  polarisImages,
  propertyValues,
  schemas,
  tokenPath,
  type Field,
  type Schema,
} from './upstream/polaris-1.7.0.js';

const scriptsDir = path.join(chartDir, 'files', 'scripts');
const script = readFileSync(path.join(scriptsDir, 'polaris_bootstrap.py'), 'utf8');
const polarisCases = renderCases.filter((c) => c.name.includes('polaris'));
const renders = new Map<string, K8sObject[]>();
beforeAll(() => {
  requireTools();
  for (const c of polarisCases) renders.set(c.name, helmTemplate('helm3', c.files).objects);
});

/** Problems of a JSON value against a recorded schema field ("" when it conforms). */
function violations(value: unknown, field: Field, at: string): string[] {
  if ('ref' in field) return objectViolations(value, schemas[field.ref]!, at);
  if ('enum' in field) return field.enum.includes(value as string) ? [] : [`${at}: ${JSON.stringify(value)} is not one of ${field.enum.join(', ')}`];
  if ('array' in field) return Array.isArray(value) ? value.flatMap((v, i) => violations(v, field.array, `${at}[${i}]`)) : [`${at}: not an array`];
  const ok = field.type === 'integer' ? Number.isInteger(value) : typeof value === field.type;
  return ok ? [] : [`${at}: not a ${field.type}`];
}

function objectViolations(value: unknown, schema: Schema, at: string): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${at}: not an object`];
  const out = (schema.required ?? []).filter((k) => !(k in value)).map((k) => `${at}.${k}: required, missing`);
  for (const [k, v] of Object.entries(value)) {
    const field = schema.properties[k] ?? schema.additional;
    out.push(...(field ? violations(v, field, `${at}.${k}`) : [`${at}.${k}: not a property of Polaris ${POLARIS_VERSION}'s schema`]));
  }
  return out;
}

/** The script's management calls: method, f-string path (as a template) and the body builder used. */
function scriptCalls(): { method: string; path: string; builder?: string }[] {
  const calls = [...script.matchAll(/polaris\.call\(\s*"(GET|POST|PUT|DELETE)",\s*f?"([^"]+)"(?:,\s*(\w+)\()?/g)].map((m) => ({ method: m[1]!, path: m[2]!, builder: m[3] }));
  const exists = [...script.matchAll(/polaris\.exists\(\s*f?"([^"]+)"/g)].map((m) => ({ method: 'GET', path: m[1]! }));
  return [...calls, ...exists];
}
const sameShape = (a: string, b: string) => {
  const [sa, sb] = [a.split('/'), b.split('/')];
  return sa.length === sb.length && sa.every((s, i) => s === sb[i] || (s.startsWith('{') && sb[i]!.startsWith('{')));
};

const envOf = (c: Container) => Object.fromEntries(((c.env ?? []) as { name: string; value?: string }[]).filter((e) => e.value !== undefined).map((e) => [e.name, e.value!]));
const bootstrapPod = (objects: K8sObject[]) => podSpecs(objects).find((p) => p.owner.kind === 'Job' && component(p.owner) === 'polaris-bootstrap')!.spec;

/** Every request body the script builds, produced by the script with the rendered Job's environment. */
function scriptBodies(env: Record<string, string>): Record<string, unknown> {
  const program = [
    'import json, sys',
    `sys.path.insert(0, ${JSON.stringify(scriptsDir)})`,
    'import polaris_bootstrap as p',
    'print(json.dumps({',
    '  "create_catalog_request": p.create_catalog_request("lakehouse", "s3://lakebench-silver/warehouse"),',
    '  "create_principal_request": p.create_principal_request("lakebench"),',
    '  "principal_role_request": p.principal_role_request("lakebench_role"),',
    '  "catalog_role_request": p.catalog_role_request("lakehouse_lakebench_role"),',
    '  "add_grant_request": p.add_grant_request(p.CATALOG_PRIVILEGE),',
    '}))',
  ].join('\n');
  const result = run(path.join(venvBin, 'python'), ['-c', program], { env: { PATH: process.env.PATH ?? '', PYTHONDONTWRITEBYTECODE: '1', ...env } });
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

describe(`pinned release: Polaris ${POLARIS_VERSION}`, () => {
  it('values.yaml pins the server and the admin tool at the release these facts were read from', () => {
    const values = parse(readFileSync(path.join(chartDir, 'values.yaml'), 'utf8')) as { catalog: { polaris: Record<string, { repository: string; tag: string }> } };
    expect(values.catalog.polaris.image).toMatchObject({ repository: polarisImages.server, tag: polarisImages.tag });
    expect(values.catalog.polaris.adminToolImage).toMatchObject({ repository: polarisImages.adminTool, tag: polarisImages.tag });
  });

  it('the body check can fail: a field the pinned release does not have is named', () => {
    expect(violations({ catalog: { type: 'INTERNAL', name: 'c', properties: { 'default-base-location': 's3://b/' }, storageConfigInfo: { storageType: 'S3', stsUnavailible: true } } }, { ref: 'CreateCatalogRequest' }, 'body')).toEqual([
      `body.catalog.storageConfigInfo.stsUnavailible: not a property of Polaris ${POLARIS_VERSION}'s schema`,
    ]);
  });

  it('every management call of the script is an operation of the management API, under its base path and the token endpoint', () => {
    expect(script).toContain(`f"{self.base}${managementBasePath}{path}"`);
    expect(script).toContain(`f"{self.base}${tokenPath}"`);
    const calls = scriptCalls();
    expect(calls.length).toBeGreaterThanOrEqual(14);
    for (const call of calls) {
      const op = operations.find((o) => o.method === call.method && sameShape(o.path, call.path));
      expect(op, `${call.method} ${call.path}`).toBeDefined();
      // A call with a body uses the builder for that operation's request schema, and only such a call.
      expect(Boolean(call.builder), `${call.method} ${call.path} body`).toBe(Boolean(op!.request));
    }
  });
});

describe.each(polarisCases)('$name', ({ name }) => {
  it('sets only properties the pinned Polaris documents, with accepted values', () => {
    const objects = renders.get(name)!;
    const conf = byKind(objects, 'ConfigMap').find((c) => c.metadata.name.endsWith('-polaris')) as unknown as { data: Record<string, string> };
    const entries = conf.data['application.properties']!
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)] as const);
    expect(entries.length).toBeGreaterThanOrEqual(5);
    for (const [key, value] of entries) {
      expect(devOnlyProperties[key], `${key}: ${devOnlyProperties[key]}`).toBeUndefined();
      expect(knownProperties, `${key} is not a property Polaris ${POLARIS_VERSION} documents`).toContain(key);
      if (propertyValues[key]) expect(propertyValues[key], key).toContain(value);
    }
  });

  it('gives the server and the admin tool only environment variables they read', () => {
    const objects = renders.get(name)!;
    const server = podSpecs(objects).find((p) => p.owner.kind === 'Deployment' && component(p.owner) === 'polaris')!.spec.containers[0]!;
    const realm = bootstrapPod(objects).initContainers!.find((c) => c.name === 'realm')!;
    const s3 = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_REGION']; // the AWS SDK's default chain, for Polaris's own FileIO
    const adminOwn = ['ROOT_CLIENT_ID', 'ROOT_CLIENT_SECRET', 'POLARIS_REALM']; // only expanded into the args below
    for (const [container, extra] of [[server, s3], [realm, adminOwn]] as const)
      for (const e of (container.env ?? []) as { name: string }[]) expect([...knownEnvironment, ...extra], `${container.name}: ${e.name}`).toContain(e.name);
  });

  it("bootstraps the realm through the admin tool image's own entrypoint, with options of its bootstrap command", () => {
    const realm = bootstrapPod(renders.get(name)!).initContainers!.find((c) => c.name === 'realm')!;
    expect(realm.image).toBe(`${polarisImages.adminTool}:${polarisImages.tag}`);
    expect(realm.command).toBeUndefined();
    const [subcommand, ...args] = realm.args as string[];
    expect(subcommand).toBe(adminBootstrap.subcommand);
    const unknown: string[] = [];
    for (let i = 0; i < args.length; i++) {
      if (adminBootstrap.valued.includes(args[i]!)) i++;
      else if (!adminBootstrap.switches.includes(args[i]!)) unknown.push(args[i]!);
    }
    expect(unknown).toEqual([]);
    expect(args.join(' ')).toMatch(/--realm \$\(POLARIS_REALM\) --credential \$\(POLARIS_REALM\),\$\(ROOT_CLIENT_ID\),\$\(ROOT_CLIENT_SECRET\)/);
  });

  it('sends management-API bodies that conform to the pinned release, with the S3-compatible storage settings', () => {
    const configure = bootstrapPod(renders.get(name)!).containers.find((c) => c.name === 'configure')!;
    const bodies = scriptBodies(envOf(configure));
    const schemaOf = (builder: string) => {
      const call = scriptCalls().find((c) => c.builder === builder);
      expect(call, `the script never sends ${builder}`).toBeDefined();
      return operations.find((o) => o.method === call!.method && sameShape(o.path, call!.path))!.request!;
    };
    for (const [builder, body] of Object.entries(bodies)) expect(violations(body, { ref: schemaOf(builder) }, builder)).toEqual([]);
    const storage = (bodies.create_catalog_request as { catalog: { storageConfigInfo: Record<string, unknown> } }).catalog.storageConfigInfo;
    expect(storage).toMatchObject({ storageType: 'S3', stsUnavailable: true, pathStyleAccess: true });
    expect(storage.endpoint).toMatch(/^https?:\/\//);
  });
});
