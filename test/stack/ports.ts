/**
 * Free loopback ports for the real components the tests start (Prometheus, Alertmanager). A port
 * found free can be taken by someone else before the child binds it; startups that fail to bind
 * say so in their log, which the harnesses include in their errors.
 */
import { createServer } from 'node:net';

/** A TCP port that was free on 127.0.0.1 a moment ago (bind to 0, read it, close). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => (port > 0 ? resolve(port) : reject(new Error('no port assigned'))));
    });
  });
}
