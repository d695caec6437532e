/** A local HTTP server on 127.0.0.1 for download tests: serves fixed bodies, or drops mid-body. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Route = { body: Uint8Array } | { dropAfter: number; body: Uint8Array; holdMs?: number } | { status: number };

export interface TestServer {
  baseUrl: string;
  requests: string[];
  close: () => Promise<void>;
}

export async function startServer(routes: Record<string, Route>): Promise<TestServer> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    requests.push(path);
    const route = routes[path];
    if (!route) {
      res.writeHead(404).end('not found');
      return;
    }
    if ('status' in route) {
      res.writeHead(route.status).end();
      return;
    }
    res.writeHead(200, { 'content-length': String(route.body.length), 'content-type': 'application/octet-stream' });
    if ('dropAfter' in route) {
      res.write(route.body.subarray(0, route.dropAfter), () => setTimeout(() => res.socket?.destroy(), route.holdMs ?? 20));
      return;
    }
    res.end(route.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
