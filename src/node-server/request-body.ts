// A node:http request's body, read as it streams in: at most `limit` bytes are kept, and past that it is
// refused at once (413; the adapter then closes the connection), so no client can park a large body in memory.
import type { IncomingMessage } from 'node:http';
import { BodyError, tooLarge } from '../http/json-body';

export function readRequestBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > limit) {
        refused = true;
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    });
    let ended = false;
    req.on('end', () => {
      ended = true;
      if (!refused) resolve(Buffer.concat(chunks, size));
    });
    // A client that goes away mid-body is not a server error: settle quietly, nothing waits for the rest.
    const incomplete = () => {
      if (!ended && !refused) reject(new BodyError(400, 'Request body was not completed.'));
    };
    req.on('error', incomplete);
    req.on('close', incomplete);
  });
}
