// --scale: list latency at 10k, 100k and 1M rows, with EXPLAIN (ANALYZE) of the
// repositories' own list statements at each size (which index each one uses).
import type pg from 'pg';
import { settle } from './database.js';
import { measure, type Measurement } from './measure.js';
import { LIST_OPERATIONS, operationLabel, operations } from './operations.js';
import type { Child } from './processes.js';
import { table } from './report.js';
import { CLIENT_PREFIX } from './seed.js';
import type { Shape, Shapes } from './sql-shapes.js';

export const SCALE_SIZES = [10_000, 100_000, 1_000_000] as const;
const CONNECTIONS = 10;

export interface PlanCheck {
  readonly statement: string;
  readonly createdAtIndex: boolean;
  readonly ginIndex: boolean;
  readonly executionMs: number | null;
  /** The plan's nodes, outermost first, e.g. "Limit > Index Scan Backward". */
  readonly shape: string;
  readonly plan: string;
}

export interface ScaleStep {
  readonly rows: number;
  readonly latency: Record<string, Measurement>;
  readonly plans: PlanCheck[];
}

async function explain(
  client: pg.Client,
  label: string,
  table: string,
  shape: Shape,
  parameters = shape.sample,
): Promise<PlanCheck> {
  const result = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${shape.text}`, parameters);
  const plan = result.rows.map((row) => row['QUERY PLAN']).join('\n');
  const time = /Execution Time: ([\d.]+) ms/.exec(plan);
  const nodes = [...plan.matchAll(/^\s*(?:->\s*)?([A-Z][A-Za-z ]+?)(?: on | using |\s+\()/gm)].map((match) => match[1]);
  return {
    statement: label,
    createdAtIndex: plan.includes(`ix_${table}_created_at`),
    ginIndex: plan.includes(`idx_${table}_data`),
    executionMs: time?.[1] ? Number(time[1]) : null,
    shape: nodes.join(' > '),
    plan,
  };
}

export async function explainLists(client: pg.Client, shapes: Shapes): Promise<PlanCheck[]> {
  const { profiles: p, proposals: q } = shapes;
  const selective = q.listJsonb.slots.map((slot, index) =>
    slot === 'json' ? JSON.stringify({ client_id: `${CLIENT_PREFIX}7` }) : q.listJsonb.sample[index],
  );
  return [
    await explain(client, 'profiles list-newest', 'connector_profiles', p.listNewest),
    await explain(client, 'profiles list-jsonb (type=sql)', 'connector_profiles', p.listJsonb),
    await explain(client, 'profiles list-range', 'connector_profiles', p.listRange),
    await explain(client, 'proposals list-newest', 'service_proposals', q.listNewest),
    await explain(client, 'proposals list-jsonb (status=sent)', 'service_proposals', q.listJsonb),
    await explain(client, 'proposals list-jsonb (client_id, selective)', 'service_proposals', q.listJsonb, selective),
    await explain(client, 'proposals list-range', 'service_proposals', q.listRange),
  ];
}

export function formatPlans(plans: readonly PlanCheck[]): string {
  return table(
    ['statement (repository SQL)', 'b-tree', 'GIN', 'exec ms', 'plan'],
    plans.map((plan) => [
      plan.statement,
      plan.createdAtIndex ? 'used' : 'no',
      plan.ginIndex ? 'used' : 'no',
      plan.executionMs?.toFixed(2) ?? '-',
      plan.shape.slice(0, 90),
    ]),
  );
}

export async function measureLists(
  services: Child,
  client: pg.Client,
  rows: number,
  durationSeconds: number,
): Promise<Record<string, Measurement>> {
  const latency: Record<string, Measurement> = {};
  for (const operation of operations(['profiles', 'proposals'], LIST_OPERATIONS)) {
    const url = services.urls[operation.listener] ?? '';
    latency[operationLabel(operation)] = await measure({
      url,
      operation,
      seeded: rows,
      durationSeconds,
      connections: CONNECTIONS,
      pid: services.pid,
    });
    await settle(client);
  }
  return latency;
}

export function formatGrowth(steps: readonly ScaleStep[]): string {
  const labels = Object.keys(steps[0]?.latency ?? {});
  const header = [
    'operation (10 conn.)',
    ...steps.flatMap((s) => [`p50@${short(s.rows)}`, `p99@${short(s.rows)}`]),
    'p99 growth',
  ];
  const rows = labels.map((label) => {
    const cells = steps.map((s) => s.latency[label]);
    const stalled = (m: Measurement | undefined) => !m || m.requests === 0;
    const first = cells[0];
    const last = cells.at(-1);
    const growth = stalled(first)
      ? '-'
      : stalled(last)
        ? `> x${(durationOf(steps) / (first?.p99 ?? 1)).toFixed(0)}`
        : `x${((last?.p99 ?? 0) / (first?.p99 ?? 1)).toFixed(2)}`;
    return [
      label,
      ...cells.flatMap((m) =>
        stalled(m) ? ['stalled', `> ${durationOf(steps)}`] : [m?.p50.toFixed(1) ?? '-', m?.p99.toFixed(1) ?? '-'],
      ),
      growth,
    ];
  });
  return table(header, rows);
}

/** The measured window in ms: a stalled operation's p99 is at least this. */
let windowMs = 5000;
export function setWindow(seconds: number): void {
  windowMs = seconds * 1000;
}
const durationOf = (_steps: readonly ScaleStep[]) => windowMs;

const short = (rows: number) => (rows >= 1_000_000 ? `${rows / 1_000_000}M` : `${rows / 1000}k`);
