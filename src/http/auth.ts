/**
 * Bearer-token auth for the routes that act (`/webhook`, `/simulate`). Alertmanager sends the
 * token with `http_config.authorization`. Compared in constant time over fixed-length digests, so
 * neither the content nor the length of the token leaks through timing.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendError } from './errors.ts';

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/** A Fastify `onRequest` hook that answers 401 unless the request carries `Bearer <token>`. */
export function bearerAuth(token: string): (request: FastifyRequest, reply: FastifyReply) => Promise<void> {
  const expected = digest(token);
  return async (request, reply) => {
    const header = request.headers.authorization ?? '';
    const match = /^Bearer[ ]+(.+)$/i.exec(header);
    if (!match || !timingSafeEqual(digest(match[1]?.trim() ?? ''), expected)) {
      reply.header('www-authenticate', 'Bearer realm="headroom"');
      await sendError(reply, 401, 'unauthorized', header === '' ? 'missing Authorization: Bearer <token>' : 'wrong bearer token');
    }
  };
}
