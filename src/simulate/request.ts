/**
 * The `POST /simulate` request. Strict about what it reads (node, usage numbers, time), liberal
 * about the cluster List, whose items `fromList` checks field by field. The `config` override may
 * only touch the decision's sections: letting a caller repoint Prometheus or the API server would
 * turn a dry-run endpoint into a request forwarder.
 */
import { z } from 'zod';

const bytes = z.number().finite().min(0).max(2 ** 53);
const usageTable = z.record(z.string().min(1).max(512), bytes);

/** Config sections a `/simulate` call may override. */
export const OVERRIDABLE_SECTIONS = ['thresholds', 'eviction', 'scoring', 'protection'] as const;

/** The body of `POST /simulate`. */
export const simulateRequestSchema = z.strictObject({
  node: z.string().min(1).max(253),
  cluster: z.looseObject({ items: z.array(z.unknown()).max(1_000_000) }).optional(),
  usage: z.strictObject({ nodes: usageTable.optional(), pods: usageTable.optional() }).optional(),
  now: z.iso.datetime({ offset: true }).optional(),
  config: z.partialRecord(z.enum(OVERRIDABLE_SECTIONS), z.record(z.string(), z.unknown())).optional(),
});

/** A parsed `/simulate` request. */
export type SimulateRequest = z.infer<typeof simulateRequestSchema>;
