// Runs a host tool (iptables-save, ip, umount, ctr ...) and returns its output; the error names
// the command and carries its stderr.
import { execFile } from 'node:child_process';

export type RunResult = { stdout: string; stderr: string; code: number };

export function runTool(command: string, args: string[], options: { input?: string; allowFailure?: boolean; timeoutMs?: number } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(command, args, { maxBuffer: 64 * 1024 * 1024, timeout: options.timeoutMs ?? 120_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      if (error && !options.allowFailure) {
        reject(new Error(`${command} ${args.join(' ')} failed (${error.message.split('\n')[0]}): ${stderr.trim().slice(-2000)}`));
        return;
      }
      resolve({ stdout, stderr, code });
    });
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}
