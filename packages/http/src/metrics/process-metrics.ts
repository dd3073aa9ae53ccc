// Process metrics (CPU, memory, event-loop lag, GC, handles) exist once per
// process, not once per app: collectDefaultMetrics starts a GC observer and an
// event-loop monitor that are never stopped, so calling it for every app (a test
// file builds dozens in one process) would pile them up. They are made once, in a
// registry of their own (never prom-client's global one), and every app's registry
// holds the same metric objects beside its own.
import { collectDefaultMetrics, Registry } from 'prom-client';

let processRegistry: Registry | undefined;

export function registerProcessMetrics(registry: Registry): void {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  for (const { name } of processRegistry.getMetricsAsArray()) {
    const metric = processRegistry.getSingleMetric(name);
    if (metric) registry.registerMetric(metric);
  }
}
