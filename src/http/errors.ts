/**
 * One error shape for every route: `{"error": "<code>", "message": "<what and where>"}`. Fastify's
 * own errors (media type, body size, JSON syntax) are mapped here so clients see stable codes.
 */
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';

/** The body of every error answer. */
export type ErrorBody = { error: string; message: string };

/** Sends an error answer. */
export function sendError(reply: FastifyReply, status: number, error: string, message: string): FastifyReply {
  return reply.code(status).type('application/json').send({ error, message } satisfies ErrorBody);
}

const FASTIFY_CODES: Readonly<Record<string, { status: number; error: string }>> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, error: 'unsupported-media-type' },
  FST_ERR_CTP_INVALID_TYPE: { status: 415, error: 'unsupported-media-type' },
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, error: 'body-too-large' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, error: 'invalid-json' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, error: 'invalid-json' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, error: 'bad-request' },
};

/** Installs the error and not-found handlers on `app`. */
export function installErrorHandlers(app: FastifyInstance, bodyLimit: number): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err.validation) return sendError(reply, 400, 'invalid-payload', describeValidation(err.validation));
    const known = err.code ? FASTIFY_CODES[err.code] : undefined;
    if (known?.status === 413) {
      return sendError(reply, 413, known.error, `request body is larger than the limit of ${bodyLimit} bytes (server.body_limit)`);
    }
    if (known?.status === 415) {
      return sendError(reply, 415, known.error, `content type ${JSON.stringify(request.headers['content-type'] ?? '(none)')} is not accepted: send application/json`);
    }
    if (known) return sendError(reply, known.status, known.error, `request body is not valid JSON: ${err.message}`);
    if (err instanceof SyntaxError || (err.statusCode === 400 && /JSON|prototype|constructor/i.test(err.message))) {
      return sendError(reply, 400, 'invalid-json', `request body is not valid JSON: ${err.message}`);
    }
    if (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500) {
      return sendError(reply, err.statusCode, 'bad-request', err.message);
    }
    request.log.error({ event: 'internal-error', err }, 'unhandled error');
    return sendError(reply, 500, 'internal', 'internal error; see the headroom log');
  });
  app.setNotFoundHandler((request, reply) => sendError(reply, 404, 'not-found', `no route ${request.method} ${request.url.split('?')[0] ?? ''}`));
}

/** One ajv error as Fastify passes it. */
type ValidationError = { instancePath: string; message?: string; keyword: string; params: Record<string, unknown> };

/** Formats schema errors as "field.path: what is wrong", the way zod-based routes do. */
export function describeValidation(errors: readonly ValidationError[]): string {
  return errors
    .slice(0, 5)
    .map((e) => {
      const path = pointerToPath(e.instancePath);
      if (e.instancePath === '/version') return `version: unsupported payload version: headroom accepts Alertmanager webhook version "4"`;
      if (e.keyword === 'required') return `${path === '(body)' ? '' : `${path}.`}${String(e.params.missingProperty)}: required`;
      return `${path}: ${e.message ?? e.keyword}`;
    })
    .join('; ');
}

/** A JSON pointer (`/alerts/0/labels/a~1b`) as the field path users read (`alerts[0].labels.a/b`). */
function pointerToPath(pointer: string): string {
  if (pointer === '') return '(body)';
  return pointer
    .slice(1)
    .split('/')
    .map((segment, i) => {
      const key = segment.replace(/~1/g, '/').replace(/~0/g, '~');
      return /^\d+$/.test(key) ? `[${key}]` : `${i === 0 ? '' : '.'}${key}`;
    })
    .join('');
}
