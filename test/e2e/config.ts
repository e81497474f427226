/**
 * The configuration of the end-to-end chain: one headroom config (the file `headroom serve`
 * reads, and the source of the rules Prometheus evaluates, rendered by `renderRules` exactly as
 * `headroom rules` would), and the Alertmanager config built from the shipped route example
 * (deploy/alertmanager/headroom-route.yaml) with only its intervals, URL and token file changed.
 *
 * Intervals are short so a scenario takes seconds; each stays in the same proportion to the others
 * as in the shipped defaults where that matters (repeat_interval below the cooldown, so repeats
 * really arrive inside it).
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { resolveConfig, type Config } from '../../src/config/load.ts';
import { renderRules } from '../../src/rules/render.ts';

/** The timing of the test chain, in one place (seconds unless the name says otherwise). */
export const TIMING = {
  scrapeInterval: '1s',
  evaluationInterval: '1s',
  criticalFor: '2s',
  warningFor: '5s',
  /** Prometheus re-sends firing alerts this often (its default, 1m, would stall repeats). */
  resendDelay: '1s',
  groupWait: '1s',
  groupInterval: '2s',
  /** Below the cooldown on purpose: repeats of a firing alert land inside it. */
  repeatInterval: '4s',
  cooldownSeconds: 15,
  maxSampleAgeSeconds: 10,
  trend: { window: '60s', minRate: 5, minR2: 0.8, horizon: '2m', for: '2s' },
} as const;

/** Options of the headroom config. */
export type HeadroomConfigOptions = {
  port: number;
  prometheusUrl: string;
  kubeconfig: string;
  authToken: string;
  /** Set `rules.trend.evict` (the trend alert also asks for eviction). */
  trendEvict?: boolean;
};

/** The headroom config file's content (snake_case keys, as a user writes it). */
export function headroomConfig(o: HeadroomConfigOptions): Record<string, unknown> {
  return {
    mode: 'enforce',
    server: { host: '127.0.0.1', port: o.port, auth_token: o.authToken, shutdown_timeout: 3 },
    prometheus: { url: o.prometheusUrl, timeout: 5, max_sample_age: TIMING.maxSampleAgeSeconds },
    kubernetes: { kubeconfig: o.kubeconfig },
    eviction: { cooldown_period: TIMING.cooldownSeconds, max_evictions_per_hour: 50 },
    protection: { namespaces: ['headroom'] },
    rules: {
      evaluation_interval: TIMING.evaluationInterval,
      critical_for: TIMING.criticalFor,
      warning_for: TIMING.warningFor,
      trend: {
        window: TIMING.trend.window,
        min_rate: TIMING.trend.minRate,
        min_r2: TIMING.trend.minR2,
        horizon: TIMING.trend.horizon,
        for: TIMING.trend.for,
        evict: o.trendEvict ?? false,
      },
    },
  };
}

/** The resolved config (defaults and presets applied), or a thrown list of problems. */
export function resolved(raw: Record<string, unknown>): Config {
  const r = resolveConfig(raw);
  if (!r.ok) throw new Error(`test config rejected: ${JSON.stringify(r.problems)}`);
  return r.config;
}

/** The rule file Prometheus loads: `headroom rules --format rules` for this config. */
export function rulesFor(raw: Record<string, unknown>): string {
  return renderRules(resolved(raw), 'rules');
}

const shippedRoute = fileURLToPath(new URL('../../deploy/alertmanager/headroom-route.yaml', import.meta.url));

type Route = Record<string, unknown> & { receiver: string; matchers?: string[] };
type Receiver = { name: string; webhook_configs?: Array<Record<string, unknown> & { url: string; http_config?: { authorization?: Record<string, unknown> } }> };
type RouteFragment = { routes: Route[]; receivers: Receiver[]; inhibit_rules: unknown[] };

/** Options of the Alertmanager config. */
export type AlertmanagerConfigOptions = {
  /** headroom's webhook, `http://127.0.0.1:<port>/webhook`. */
  webhookUrl: string;
  /** File holding the bearer token (the shipped example reads it from a file). */
  tokenFile: string;
  /**
   * Extra receivers for nodes matching `nodeRegex`, each pointing at its own URL (default: the
   * webhook): Alertmanager then delivers those nodes' alerts once per receiver, like two
   * receivers configured by two teams.
   */
  duplicates?: { nodeRegex: string; urls: string[] };
};

/**
 * A complete alertmanager.yml: a quiet default receiver, the shipped route FIRST under `routes:`
 * (as its comment asks), its receiver and inhibit rule; intervals shortened, URL and token file
 * pointed at the test's headroom.
 */
export async function alertmanagerConfig(o: AlertmanagerConfigOptions): Promise<string> {
  const fragment = parse(await readFile(shippedRoute, 'utf8')) as RouteFragment;
  const [route] = fragment.routes;
  const [receiver] = fragment.receivers;
  if (route === undefined || receiver === undefined || fragment.receivers.length !== 1) throw new Error(`${shippedRoute}: expected one route and one receiver`);
  const routes: Route[] = [{ ...route, group_wait: TIMING.groupWait, group_interval: TIMING.groupInterval, repeat_interval: TIMING.repeatInterval }];
  const receivers: Receiver[] = [{ name: 'default' }, pointAt(receiver, receiver.name, o.webhookUrl, o.tokenFile)];
  (o.duplicates?.urls ?? []).forEach((url, i) => {
    const name = `${receiver.name}-duplicate-${i + 1}`;
    routes.push({ ...routes[0], receiver: name, matchers: [...(route.matchers ?? []), `node=~"${o.duplicates?.nodeRegex ?? ''}"`] });
    receivers.push(pointAt(receiver, name, url, o.tokenFile));
  });
  return stringify({
    route: { receiver: 'default', group_by: ['alertname'], routes },
    receivers,
    inhibit_rules: fragment.inhibit_rules,
  });
}

/** The shipped receiver, renamed, with its URL and token file replaced and nothing else touched. */
function pointAt(shipped: Receiver, name: string, url: string, tokenFile: string): Receiver {
  const configs = shipped.webhook_configs ?? [];
  if (configs.length !== 1) throw new Error('the shipped receiver should have exactly one webhook_config');
  return {
    name,
    webhook_configs: configs.map((c) => {
      const auth = c.http_config?.authorization;
      if (auth?.credentials_file === undefined) throw new Error('the shipped receiver should read its token from credentials_file');
      return { ...c, url, http_config: { ...c.http_config, authorization: { ...auth, credentials_file: tokenFile } } };
    }),
  };
}
