/**
 * The Alertmanager webhook payload, version "4", as one zod schema. Liberal where Alertmanager may
 * grow (unknown keys pass), strict where headroom depends on a value (labels are strings, alerts an
 * array). Alertmanager marks "no end" with the zero time; that becomes `null`.
 */
import { z } from 'zod';

const stringMap = z.record(z.string().max(65_536), z.string().max(1_048_576));
const ZERO_TIME = /^0001-01-01T00:00:00/;

const alertSchema = z.looseObject({
  status: z.enum(['firing', 'resolved']),
  labels: stringMap,
  annotations: stringMap.optional().default({}),
  startsAt: z.string().max(64).optional(),
  endsAt: z.string().max(64).optional(),
  generatorURL: z.string().max(65_536).optional().default(''),
  fingerprint: z.string().max(256).optional(),
});

/** The whole POST body Alertmanager sends to a webhook receiver. */
export const webhookPayloadSchema = z.looseObject({
  version: z.literal('4', { error: 'unsupported payload version: headroom accepts Alertmanager webhook version "4"' }),
  groupKey: z.string().max(1_048_576).optional(),
  truncatedAlerts: z.number().int().min(0).optional(),
  status: z.enum(['firing', 'resolved']).optional(),
  receiver: z.string().max(65_536).optional(),
  groupLabels: stringMap.optional(),
  commonLabels: stringMap.optional(),
  commonAnnotations: stringMap.optional(),
  externalURL: z.string().max(65_536).optional(),
  alerts: z.array(alertSchema).min(1, 'must contain at least one alert'),
});

/**
 * The same schema as JSON Schema, for Fastify's compiled (ajv) validator on the hot path: zod
 * stays the single source of truth, ajv runs it several times faster (see `bench:intake`).
 */
export const webhookPayloadJsonSchema = z.toJSONSchema(webhookPayloadSchema, { io: 'input', target: 'draft-7' });

/** A parsed payload. */
export type WebhookPayload = z.infer<typeof webhookPayloadSchema>;
/** One parsed alert of a payload. */
export type PayloadAlert = WebhookPayload['alerts'][number];

/** Alertmanager's zero time means "not set". */
export function timeOrNull(value: string | undefined): string | null {
  return value === undefined || value === '' || ZERO_TIME.test(value) ? null : value;
}

/** Formats a zod error as "path: message" for the first few issues, for the 400 answer. */
export function describeIssues(error: z.ZodError, limit = 5): string {
  const lines = error.issues.slice(0, limit).map((i) => `${formatPath(i.path)}: ${i.message}`);
  const more = error.issues.length > limit ? ` (and ${error.issues.length - limit} more)` : '';
  return lines.join('; ') + more;
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(body)';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('');
}
