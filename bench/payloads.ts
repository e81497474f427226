/**
 * Realistic Alertmanager webhook bodies for benchmarks: the shape and label set of a
 * kube-prometheus alert, with nodes and values varied so the dedup ledger sees hits and misses.
 */

/** A JSON body with `n` alerts, nodes drawn from a pool of `nodes`, offset by `seed`. */
export function alertPayload(n: number, seed: number, nodes = 200): string {
  const alerts = Array.from({ length: n }, (_, i) => {
    const k = (seed * 7 + i) % nodes;
    const node = `ip-10-0-${k >> 8}-${k & 255}.eu-west-1.compute.internal`;
    return {
      status: 'firing',
      labels: {
        alertname: i % 3 === 0 ? 'NodeMemoryPressureCritical' : 'NodeMemoryPressureWarning',
        severity: i % 3 === 0 ? 'critical' : 'warning',
        ...(i % 3 === 0 ? { headroom_action: 'evict' } : {}),
        node,
        instance: `${node}:9100`,
        job: 'node-exporter',
        namespace: 'monitoring',
        prometheus: 'monitoring/k8s',
        container: 'node-exporter',
        endpoint: 'https',
        pod: `node-exporter-${(seed + i) % 97}`,
        service: 'node-exporter',
      },
      annotations: {
        summary: `Memory on ${node} is at 94.2%`,
        description: `Node ${node} uses 94.2% of its memory, above the eviction threshold of 93%.`,
        runbook_url: 'https://github.com/headroom-dev/headroom#nodememorypressurecritical',
      },
      startsAt: '2026-11-27T11:58:45.123Z',
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus-k8s-0:9090/graph?g0.expr=node%3Aheadroom_memory_usage%3Aratio+%3E+0.93&g0.tab=1',
      fingerprint: (0xc0ffee + seed * 31 + i).toString(16).padStart(16, '0'),
    };
  });
  return JSON.stringify({
    version: '4',
    groupKey: '{}/{}:{alertname="NodeMemoryPressureCritical"}',
    truncatedAlerts: 0,
    status: 'firing',
    receiver: 'headroom',
    groupLabels: { alertname: 'NodeMemoryPressureCritical' },
    commonLabels: { job: 'node-exporter' },
    commonAnnotations: {},
    externalURL: 'http://alertmanager-main-0:9093',
    alerts,
  });
}
