import type { IncomingMessage } from 'node:http';
import { AppError, ErrorCode, msg } from '../common/errors/app-error';

const tooLarge = (maxBytes: number) => new AppError(ErrorCode.PAYLOAD_TOO_LARGE, msg('photos.errors.tooLarge', { megabytes: maxBytes / (1024 * 1024) }));

/**
 * The raw body of an upload, at most `maxBytes`: refused from its Content-Length when that says more,
 * else counted while it arrives; beyond the limit reading stops, nothing of it is kept, and the rest
 * of the body is left for Node to discard while the refusal (413) is answered.
 */
export function readUploadBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) return Promise.reject(tooLarge(maxBytes));
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received <= maxBytes) return void chunks.push(chunk);
      cleanup();
      chunks.length = 0;
      // Keep the connection's data flowing to nowhere, so the 413 can be read by the client.
      req.resume();
      reject(tooLarge(maxBytes));
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks, received));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const onAborted = () => {
      cleanup();
      reject(new Error('upload aborted by the client'));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onAborted);
  });
}
