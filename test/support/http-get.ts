import http from 'node:http';

/** The bits of a fetch `Response` the tests read. */
export interface HttpGetResponse {
  status: number;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
  json(): Promise<unknown>;
}

/**
 * A GET through `node:http`, which — unlike fetch — sends a caller's `Host` header (tests of
 * subdomain routing such as `acme.localhost` against 127.0.0.1). Bounded by a 10 s timeout.
 */
export function httpGet(url: string, headers: Record<string, string> = {}): Promise<HttpGetResponse> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { headers, timeout: 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        resolve({
          status: res.statusCode ?? 0,
          headers: {
            get: (name) => {
              const value = res.headers[name.toLowerCase()];
              return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
            },
          },
          text: () => Promise.resolve(body),
          json: () => Promise.resolve(JSON.parse(body) as unknown),
        });
      });
      res.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error(`GET ${url}: timed out`)));
    request.on('error', reject);
  });
}
