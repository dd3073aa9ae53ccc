// The proposal generator's speed: a questionnaire of 200 objects and 500 KPIs
// quoted ~2,000 times after a warm-up, p50/p99/max in milliseconds (target: p99
// under 5 ms). Standalone: `pnpm exec tsx bench/quote.ts`; bench/run.ts can call
// benchQuote() for its report.
import { pathToFileURL } from 'node:url';
import {
  defaultPriceBook,
  FIXED_KPI_COMPLEXITIES,
  generateQuote,
  INTEGRATION_TYPES,
  KPI_COMPLEXITIES,
  questionnaireSchema,
  quoteToJson,
  type QuestionnaireInput,
} from '../services/demo-config/src/proposal-generator/index.js';
import { percentile } from './statistics.js';

export interface Percentiles {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

export interface QuoteBenchFigures {
  readonly objects: number;
  readonly kpis: number;
  readonly iterations: number;
  /** Milliseconds per generateQuote call. */
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  /** Milliseconds per questionnaire parse + generateQuote + quoteToJson, as the quote route does it. */
  readonly route: Percentiles;
}

export interface QuoteBenchOptions {
  readonly objects?: number;
  readonly kpis?: number;
  readonly iterations?: number;
  readonly warmup?: number;
}

/** Every integration type and complexity in turn, T&M ones included, sizing inputs for the infrastructure. */
export function questionnaire(objects: number, kpis: number): QuestionnaireInput {
  return {
    value_chains: ['SCOR', 'CRM', 'Sales Analytics'],
    license_term_years: 3,
    objects: Array.from({ length: objects }, (_, i) => ({
      name: `Object ${i}`,
      source_system: `System ${i % 7}`,
      integration: INTEGRATION_TYPES[i % INTEGRATION_TYPES.length] ?? 'batch_conformed',
    })),
    kpis: Array.from({ length: kpis }, (_, i) => ({
      code: `KPI-${i}`,
      name: `KPI ${i}`,
      complexity: KPI_COMPLEXITIES[i % KPI_COMPLEXITIES.length] ?? FIXED_KPI_COMPLEXITIES[0],
    })),
    environment: { platform: 'aws' },
    retention: { staged_days: 90, analytics_days: 365, preset: 'sox' },
    infrastructure: { daily_ingest_gb: 250, concurrent_users: 1500, refresh_period: 'hour' },
    managed_services: { retainer: true, additional_hours_per_year: 120 },
    team: { integration_developers: 3, integration_architects: 2 },
  };
}

function percentiles(samples: number[]): Percentiles {
  const round = (ms: number) => Math.round(ms * 1000) / 1000;
  return {
    p50: round(percentile(samples, 0.5)),
    p99: round(percentile(samples, 0.99)),
    max: round(percentile(samples, 1)),
  };
}

function time(runs: number, run: () => unknown): number[] {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    run();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return samples;
}

export function benchQuote(options: QuoteBenchOptions = {}): QuoteBenchFigures {
  const { objects = 200, kpis = 500, iterations = 2000, warmup = 200 } = options;
  const input = questionnaire(objects, kpis);
  const parsed = questionnaireSchema.parse(input);
  const today = { today: '2026-12-03' };
  const quote = () => generateQuote(parsed, defaultPriceBook, today);
  const route = () => quoteToJson(generateQuote(questionnaireSchema.parse(input), defaultPriceBook, today));
  time(warmup, quote);
  const core = percentiles(time(iterations, quote));
  time(warmup, route);
  return { objects, kpis, iterations, ...core, route: percentiles(time(iterations, route)) };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const figures = benchQuote();
  const line = (label: string, { p50, p99, max }: Percentiles) =>
    `${label.padEnd(28)} p50 ${p50.toFixed(3)} ms   p99 ${p99.toFixed(3)} ms   max ${max.toFixed(3)} ms`;
  console.log(`quote: ${figures.objects} objects, ${figures.kpis} KPIs, ${figures.iterations} runs after a warm-up`);
  console.log(line('generateQuote', figures));
  console.log(line('parse + quote + quoteToJson', figures.route));
  console.log(`target p99 < 5 ms: ${figures.p99 < 5 ? 'met' : 'NOT met'}`);
}
