// Reads a request body up to a byte limit (413 beyond it, without buffering the rest) and parses
// JSON bodies. The raw bytes are kept: webhook signatures are computed over them, not over JSON.
import type { IncomingMessage } from 'node:http';
import { ApiError } from './errors.ts';

export async function readRawBody(request: IncomingMessage, limitBytes: number): Promise<Buffer> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) {
    request.resume();
    throw tooLarge(limitBytes);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limitBytes) {
      request.resume();
      throw tooLarge(limitBytes);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

export function parseJsonBody(raw: Buffer, contentType: string | undefined): unknown {
  if (raw.length === 0)
    throw new ApiError('INVALID_JSON', 'the request body is empty; send the tenant document as JSON');
  if (contentType && !/^application\/(.+\+)?json\b/i.test(contentType)) {
    throw new ApiError('UNSUPPORTED_MEDIA_TYPE', `content-type ${contentType} is not accepted; send application/json`);
  }
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch (error) {
    throw new ApiError('INVALID_JSON', `the request body is not valid JSON (${(error as Error).message})`);
  }
}

function tooLarge(limitBytes: number): ApiError {
  return new ApiError('PAYLOAD_TOO_LARGE', `the request body is larger than ${limitBytes} bytes`);
}
