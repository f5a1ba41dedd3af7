// A GET to any API server path with the kubeconfig's credentials, for what the typed clients do not
// cover: discovery of every group's resources and metadata-only lists of any resource type.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';

export class KubeGetError extends Error {
  constructor(
    readonly path: string,
    readonly statusCode: number,
    detail: string,
  ) {
    super(`GET ${path} answered ${statusCode}: ${detail}`);
  }
}

/** The JSON body of a 2xx answer; a KubeGetError with the server's own message otherwise. */
export async function kubeGet(kubeConfig: KubeConfig, path: string, accept = 'application/json'): Promise<unknown> {
  const server = kubeConfig.getCurrentCluster()?.server;
  if (!server) throw new Error('tenant-gitops: the kubeconfig names no cluster server');
  const url = new URL(path, server);
  const options: RequestOptions = { method: 'GET', headers: { Accept: accept } };
  await kubeConfig.applyToHTTPSOptions(options);
  const request = url.protocol === 'http:' ? httpRequest : httpsRequest;
  return new Promise((resolve, reject) => {
    const req = request(url, options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const status = res.statusCode ?? 0;
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          body = undefined;
        }
        if (status >= 200 && status < 300 && body !== undefined) return resolve(body);
        const message = (body as { message?: unknown } | undefined)?.message;
        reject(new KubeGetError(path, status, typeof message === 'string' ? message : text.slice(0, 200)));
      });
    });
    req.on('error', reject);
    req.end();
  });
}
