// Runs one of the repository's shell scripts (control plane, ArgoCD) for the sandbox. Their own
// progress lines (`tenant-gitops …`) go to our stderr so a newcomer sees what is happening, while
// stdout stays reserved for the sandbox's single JSON line; the rest of their output (tool noise)
// is kept only to explain a failure.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export interface ScriptResult {
  stdout: string;
}

export function scriptPath(checkout: string, name: string): string | undefined {
  const path = join(checkout, 'scripts', name);
  return existsSync(path) ? path : undefined;
}

export function runScript(
  path: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<ScriptResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [path, ...args], {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let tail = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    let partial = '';
    child.stderr.on('data', (chunk: Buffer) => {
      const text = partial + chunk.toString();
      const lines = text.split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        if (line.startsWith('tenant-gitops')) process.stderr.write(`${line}\n`);
        tail = `${tail}\n${line.slice(0, 500)}`.slice(-2000);
      }
    });
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`tenant-gitops: ${path} ${args.join(' ')} did not finish within ${options.timeoutMs / 1000} s`));
    }, options.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve({ stdout });
      else
        reject(
          new Error(
            `tenant-gitops: ${path} ${args.join(' ')} exited with ${code}: ${tail.trim().split('\n').slice(-5).join(' | ')}`,
          ),
        );
    });
  });
}
