// Serves a folder read-only over plain HTTP on the node's bridge address, where pods reach the host:
// what pods would otherwise download over HTTPS (a JDBC driver, a Maven repository), from files the
// host downloaded and checked. GET and HEAD only; a path outside the folder, or no such file, is 404.
import { createReadStream, statSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { nodeNetwork } from './layout.js';
import { freePort } from '../ports.js';

export type StaticServer = { url: string; requests: string[]; close(): Promise<void> };

export async function serveFolder(root: string): Promise<StaticServer> {
  const port = await freePort();
  const base = path.resolve(root);
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const urlPath = decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/');
    requests.push(`${req.method} ${urlPath}`);
    const file = path.resolve(base, `.${urlPath}`);
    const inside = file.startsWith(`${base}${path.sep}`);
    const size = inside ? statSync(file, { throwIfNoEntry: false }) : undefined;
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !size?.isFile()) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-length': size.size, 'content-type': 'application/octet-stream' });
    if (req.method === 'HEAD') return void res.end();
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(port, nodeNetwork.nodeIp, resolve));
  return { url: `http://${nodeNetwork.nodeIp}:${port}/`, requests, close: () => new Promise((r) => server.close(() => r())) };
}
