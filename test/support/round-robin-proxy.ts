/**
 * A tiny HTTP load balancer on 127.0.0.1: each request goes to the next
 * backend in turn; a backend that refuses the connection or does not answer
 * in time (killed, paused with SIGSTOP) is skipped for the next one, as a real
 * balancer's health check would. The cluster kill test puts it at the media
 * servers' `publicBaseUrl`, so the fake Instagram fetches each card from
 * whichever instance is up — usually not the one that published it.
 */
import http from 'node:http';

export interface RoundRobinProxy {
  url: string;
  /** Requests answered, by the backend port that answered them. */
  readonly answeredBy: Map<number, number>;
  close(): Promise<void>;
}

export async function startRoundRobinProxy(backendPorts: readonly number[], options: { backendTimeoutMs?: number } = {}): Promise<RoundRobinProxy> {
  const timeoutMs = options.backendTimeoutMs ?? 1_500;
  const answeredBy = new Map<number, number>();
  let next = 0;

  const forward = (request: http.IncomingMessage, body: Buffer, response: http.ServerResponse, tried: number): void => {
    if (tried >= backendPorts.length) {
      response.writeHead(502).end('no backend answered');
      return;
    }
    const port = backendPorts[next++ % backendPorts.length]!;
    let settled = false;
    const upstream = http.request({ host: '127.0.0.1', port, method: request.method, path: request.url, headers: request.headers, timeout: timeoutMs }, (answer) => {
      settled = true;
      answeredBy.set(port, (answeredBy.get(port) ?? 0) + 1);
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    });
    const tryNext = (): void => {
      if (settled) return;
      settled = true;
      upstream.destroy();
      forward(request, body, response, tried + 1);
    };
    upstream.on('timeout', tryNext);
    upstream.on('error', tryNext);
    upstream.end(body);
  };

  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => forward(request, Buffer.concat(chunks), response, 0));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    answeredBy,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
