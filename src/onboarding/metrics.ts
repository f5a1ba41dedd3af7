// Prometheus metrics in the text exposition format (version 0.0.4), written by hand: a few
// counters and one histogram recorded in process, plus gauges read from the store at scrape time.
import { TENANT_STATES, type TenantStore } from './store/index.ts';
import { BACKGROUND_LOOPS, type BackgroundHealth } from './background-health.ts';

const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

type Labels = Record<string, string>;

export class ServiceMetrics {
  readonly #counters = new Map<string, { help: string; values: Map<string, number> }>();
  readonly #durations = new Map<string, { buckets: number[]; sum: number; count: number }>();

  constructor() {
    this.#counters.set('tenant_gitops_http_requests_total', {
      help: 'HTTP requests answered, by route and status.',
      values: new Map(),
    });
    this.#counters.set('tenant_gitops_webhook_deliveries_total', {
      help: 'GitHub webhook deliveries, by result.',
      values: new Map(),
    });
  }

  countRequest(method: string, route: string, status: number, seconds: number): void {
    this.#increment('tenant_gitops_http_requests_total', { method, route, status: String(status) });
    const key = labelText({ route });
    const histogram = this.#durations.get(key) ?? { buckets: DURATION_BUCKETS.map(() => 0), sum: 0, count: 0 };
    DURATION_BUCKETS.forEach((le, i) => {
      if (seconds <= le) histogram.buckets[i] = (histogram.buckets[i] ?? 0) + 1;
    });
    histogram.sum += seconds;
    histogram.count += 1;
    this.#durations.set(key, histogram);
  }

  countDelivery(result: 'accepted' | 'duplicate' | 'invalid_signature' | 'invalid_payload'): void {
    this.#increment('tenant_gitops_webhook_deliveries_total', { result });
  }

  render(store: TenantStore, health: BackgroundHealth): string {
    const lines: string[] = [];
    lines.push(
      '# HELP tenant_gitops_background_errors_total Failed rounds of a background loop (a store error), by loop.',
      '# TYPE tenant_gitops_background_errors_total counter',
      ...health.errorCounts().map(([loop, n]) => `tenant_gitops_background_errors_total${labelText({ loop })} ${n}`),
      '# HELP tenant_gitops_background_failing 1 while a background loop is failing, by loop.',
      '# TYPE tenant_gitops_background_failing gauge',
      ...BACKGROUND_LOOPS.map(
        (loop) =>
          `tenant_gitops_background_failing${labelText({ loop })} ${health.failing().some(([l]) => l === loop) ? 1 : 0}`,
      ),
    );
    for (const [name, counter] of this.#counters) {
      lines.push(`# HELP ${name} ${counter.help}`, `# TYPE ${name} counter`);
      for (const [labels, value] of counter.values) lines.push(`${name}${labels} ${value}`);
    }
    const duration = 'tenant_gitops_http_request_duration_seconds';
    lines.push(`# HELP ${duration} Time to answer an HTTP request.`, `# TYPE ${duration} histogram`);
    for (const [labels, histogram] of this.#durations) {
      const inner = labels.slice(1, -1);
      DURATION_BUCKETS.forEach((le, i) =>
        lines.push(`${duration}_bucket{${inner},le="${le}"} ${histogram.buckets[i] ?? 0}`),
      );
      lines.push(`${duration}_bucket{${inner},le="+Inf"} ${histogram.count}`);
      lines.push(`${duration}_sum${labels} ${histogram.sum}`, `${duration}_count${labels} ${histogram.count}`);
    }
    const byState = store.tenants.countByState();
    lines.push('# HELP tenant_gitops_tenants Tenants by state.', '# TYPE tenant_gitops_tenants gauge');
    for (const state of TENANT_STATES) lines.push(`tenant_gitops_tenants{state="${state}"} ${byState[state] ?? 0}`);
    lines.push(
      '# HELP tenant_gitops_outbox_pending Callbacks not yet acknowledged by the backend.',
      '# TYPE tenant_gitops_outbox_pending gauge',
      `tenant_gitops_outbox_pending ${store.outbox.pendingCount()}`,
      '# HELP process_resident_memory_bytes Resident memory size in bytes.',
      '# TYPE process_resident_memory_bytes gauge',
      `process_resident_memory_bytes ${process.memoryUsage().rss}`,
    );
    return `${lines.join('\n')}\n`;
  }

  #increment(name: string, labels: Labels): void {
    const counter = this.#counters.get(name);
    if (!counter) return;
    const key = labelText(labels);
    counter.values.set(key, (counter.values.get(key) ?? 0) + 1);
  }
}

function labelText(labels: Labels): string {
  const parts = Object.entries(labels).map(
    ([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`,
  );
  return `{${parts.join(',')}}`;
}
