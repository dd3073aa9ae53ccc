// Infrastructure quantities: the questionnaire's explicit ones, or derived from
// the sizing inputs (daily ingest, concurrent users, refresh period, KPI count)
// and the retention policy. Every formula is a non-decreasing step function of
// each input (ceil of integer ratios), so more data, more users, more KPIs,
// faster refresh or longer retention never give fewer instances or gigabytes;
// the arithmetic is on hundredths of a GB, so 0.1 GB x 30 days is 3 GB, not 4.
import { RETENTION_PRESET_YEARS, type RefreshPeriod } from './catalog.js';
import type { QuestionnaireInfrastructure, QuestionnaireRetention } from './questionnaire-schema.js';
import { ceilDiv, toHundredths } from './units.js';

export interface InfrastructureQuantities {
  readonly api_gateway_instances: number;
  readonly business_service_instances: number;
  readonly backend_service_instances: number;
  readonly hot_storage_gb: number;
  readonly cold_storage_gb: number;
  readonly redis: number;
  readonly data_transfer_gb_per_month: number;
}

/** The sizing model's constants (documented in docs/proposal-generator.md). */
export const SIZING = {
  /** Work per refresh relative to a daily refresh. */
  refreshFactor: { day: 1, hour: 2, minute: 4 } satisfies Record<RefreshPeriod, number>,
  usersPerGateway: 250,
  usersPerBusinessInstance: 100,
  kpisPerBusinessInstance: 200,
  /** GB of daily ingest times the refresh factor one backend instance processes. */
  ingestLoadPerBackendInstance: 40,
  /** KPIs times the refresh factor one backend instance computes. */
  kpiLoadPerBackendInstance: 400,
  usersPerRedisNode: 1000,
  /** Analytics data kept hot is a quarter of the ingested volume (aggregated). */
  analyticsShare: { numerator: 1, denominator: 4 },
  /** Archived data is compressed to half. */
  archiveShare: { numerator: 1, denominator: 2 },
  /** An indefinite archive is priced as the longest finite one. */
  indefiniteArchiveYears: 10,
  defaultArchiveYears: 1,
  /** Outbound transfer: a tenth of the monthly ingest plus 1 GB per concurrent user. */
  transferShareOfIngest: { numerator: 1, denominator: 10 },
  transferGbPerUser: 1,
  defaultRefreshPeriod: 'hour' as RefreshPeriod,
} as const;

/** The archive period in years: the answer, else the compliance preset's, else the default. */
export function archiveYears(retention: QuestionnaireRetention): number {
  const { archive_years: years, preset } = retention;
  if (years === 'indefinite') return SIZING.indefiniteArchiveYears;
  if (years !== undefined) return years;
  return preset === undefined ? SIZING.defaultArchiveYears : RETENTION_PRESET_YEARS[preset];
}

export function isSized(infrastructure: QuestionnaireInfrastructure): boolean {
  return infrastructure.daily_ingest_gb !== undefined;
}

export function infrastructureQuantities(
  infrastructure: QuestionnaireInfrastructure,
  retention: QuestionnaireRetention,
  kpiCount: number,
): InfrastructureQuantities {
  if (!isSized(infrastructure)) {
    return {
      api_gateway_instances: infrastructure.api_gateway_instances ?? 0,
      business_service_instances: infrastructure.business_service_instances ?? 0,
      backend_service_instances: infrastructure.backend_service_instances ?? 0,
      hot_storage_gb: infrastructure.hot_storage_gb ?? 0,
      cold_storage_gb: infrastructure.cold_storage_gb ?? 0,
      redis: infrastructure.redis ?? 0,
      data_transfer_gb_per_month: infrastructure.data_transfer_gb_per_month ?? 0,
    };
  }
  const ingest = toHundredths(infrastructure.daily_ingest_gb ?? 0);
  const users = infrastructure.concurrent_users ?? 0;
  const factor = SIZING.refreshFactor[infrastructure.refresh_period ?? SIZING.defaultRefreshPeriod];
  const analytics = SIZING.analyticsShare;
  const archive = SIZING.archiveShare;
  const transfer = SIZING.transferShareOfIngest;
  // hot = ingest x staged days + ingest x analytics share x analytics days, in hundredths of a GB
  const hotNumerator =
    ingest * (retention.staged_days * analytics.denominator + retention.analytics_days * analytics.numerator);
  return {
    api_gateway_instances: Math.max(1, ceilDiv(users, SIZING.usersPerGateway)),
    business_service_instances:
      Math.max(1, ceilDiv(users, SIZING.usersPerBusinessInstance)) + ceilDiv(kpiCount, SIZING.kpisPerBusinessInstance),
    backend_service_instances:
      Math.max(1, ceilDiv(ingest * factor, SIZING.ingestLoadPerBackendInstance * 100)) +
      ceilDiv(kpiCount * factor, SIZING.kpiLoadPerBackendInstance),
    hot_storage_gb: ceilDiv(hotNumerator, analytics.denominator * 100),
    cold_storage_gb: ceilDiv(ingest * 365 * archiveYears(retention) * archive.numerator, archive.denominator * 100),
    redis: Math.max(1, ceilDiv(users, SIZING.usersPerRedisNode)),
    data_transfer_gb_per_month:
      ceilDiv(ingest * 30 * transfer.numerator, transfer.denominator * 100) + users * SIZING.transferGbPerUser,
  };
}
