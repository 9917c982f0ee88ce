import { Agent, request } from 'node:http';

/**
 * A GraphQL POST over node:http: the data, or an error for anything else. With `timeoutMs`, 'timeout'
 * once it has passed (fetch gives up on headers after 300 s); with `agent`, on its kept-alive sockets.
 */
export function postGraphQL(url: string, query: string, variables: Record<string, unknown>, options: { token?: string; timeoutMs?: number; agent?: Agent } = {}): Promise<any | 'timeout'> {
  const body = JSON.stringify({ query, variables });
  const headers: Record<string, string | number> = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  return new Promise((resolvePromise, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const req = request(`${url}/graphql`, { method: 'POST', agent: options.agent, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        clearTimeout(timer);
        try {
          const parsed = JSON.parse(text);
          if (res.statusCode !== 200 || parsed.errors?.length || !parsed.data) reject(new Error(`GraphQL ${res.statusCode}: ${text.slice(0, 500)}`));
          else resolvePromise(parsed.data);
        } catch (error) {
          reject(error as Error);
        }
      });
    });
    if (options.timeoutMs !== undefined) {
      timer = setTimeout(() => {
        req.destroy();
        resolvePromise('timeout');
      }, options.timeoutMs);
    }
    req.on('error', (error) => {
      clearTimeout(timer);
      if (!req.destroyed || timer) reject(error);
    });
    req.end(body);
  });
}
