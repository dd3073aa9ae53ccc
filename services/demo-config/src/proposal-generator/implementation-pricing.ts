// The one-time statement of work: a line per object and per KPI, the
// environment setup, and the T&M items as hour ranges. A T&M object or KPI keeps
// its line (hours 0, cost 0) and is priced in tm_items, so fixed_total counts only
// fixed work and the T&M range is everything else.
import { PLATFORM_LABELS, TM_INTEGRATION_TYPE, TM_KPI_COMPLEXITY } from './catalog.js';
import type { PriceBook } from './price-book.js';
import type { Questionnaire } from './questionnaire-schema.js';
import type {
  DataIntegrationLine,
  EnvironmentLine,
  HoursRange,
  KpiLine,
  QuoteImplementation,
  TmItem,
} from './quote-types.js';
import { costOfHours, toHundredths } from './units.js';

/** Hours of each kind of work, in hundredths, for the schedule; T&M at the top of its range. */
export interface ImplementationWork {
  readonly developerIntegration: number;
  readonly developerKpi: number;
  readonly architectIntegration: number;
  readonly architectKpi: number;
  /** Absent without an environment setup. */
  readonly cloudArchitect: number | undefined;
  readonly accessSpecialist: number | undefined;
}

function tmItem(description: string, hours: HoursRange, rate: number): TmItem {
  return {
    description,
    hours: { min: hours.min, max: hours.max },
    rate,
    cost: { min: costOfHours(hours.min, rate), max: costOfHours(hours.max, rate) },
  };
}

export function priceImplementation(
  questionnaire: Questionnaire,
  book: PriceBook,
): { implementation: QuoteImplementation; work: ImplementationWork } {
  const rate = book.time_and_materials.rate_per_hour;
  const tmItems: TmItem[] = [];
  let fixedTotal = 0;

  const { platform, cloud_architect_hours: answered } = questionnaire.environment;
  let environment: EnvironmentLine;
  let cloudArchitect: number | undefined;
  if (platform === 'none') {
    environment = { platform, cloud_architect_hours: 0, cost: 0 };
  } else if (typeof answered === 'number') {
    environment = { platform, cloud_architect_hours: answered, cost: costOfHours(answered, rate) };
    fixedTotal += environment.cost;
    cloudArchitect = toHundredths(answered);
  } else {
    const range = answered ?? book.environment.platforms[platform].cloud_architect_hours;
    environment = { platform, cloud_architect_hours: { min: range.min, max: range.max }, cost: 0 };
    tmItems.push(tmItem(`Cloud Architect: environment setup (${PLATFORM_LABELS[platform]})`, range, rate));
    cloudArchitect = toHundredths(range.max);
  }

  let developerIntegration = 0;
  let architectIntegration = 0;
  const dataIntegration: DataIntegrationLine[] = [];
  // Object literals of one shape, no spreads: this loop runs for up to 1,000 objects and 5,000 KPIs per quote.
  for (const { name, source_system, integration, tm_hours } of questionnaire.objects) {
    if (integration === TM_INTEGRATION_TYPE) {
      const hours = tm_hours ?? book.time_and_materials.default_hours.streaming_api_non_architected;
      const description = `Streaming API integration (non-architected): ${name} (${source_system})`;
      tmItems.push(tmItem(description, hours, rate));
      architectIntegration += toHundredths(hours.max);
      dataIntegration.push({ object: name, source_system, integration, hours: 0, cost: 0 });
    } else {
      const price = book.integration[integration];
      dataIntegration.push({ object: name, source_system, integration, hours: price.hours, cost: price.charge });
      fixedTotal += price.charge;
      developerIntegration += toHundredths(price.hours);
    }
  }

  let developerKpi = 0;
  let architectKpi = 0;
  const kpiImplementation: KpiLine[] = [];
  for (const { code, name, complexity, tm_hours } of questionnaire.kpis) {
    if (complexity === TM_KPI_COMPLEXITY) {
      const hours = tm_hours ?? book.time_and_materials.default_hours.dynamic_rbac;
      tmItems.push(tmItem(`Dynamic RBAC KPI: ${code} ${name}`, hours, rate));
      architectKpi += toHundredths(hours.max);
      kpiImplementation.push({ code, name, complexity, hours: 0, cost: 0 });
    } else {
      const price = book.kpi[complexity];
      kpiImplementation.push({ code, name, complexity, hours: price.hours, cost: price.charge });
      fixedTotal += price.charge;
      developerKpi += toHundredths(price.hours);
    }
  }

  let tmMin = 0;
  let tmMax = 0;
  for (const item of tmItems) {
    tmMin += item.cost.min;
    tmMax += item.cost.max;
  }
  const setup = platform !== 'none';
  return {
    implementation: {
      data_integration: dataIntegration,
      kpi_implementation: kpiImplementation,
      environment,
      tm_items: tmItems,
      fixed_total: fixedTotal,
      tm_range: { min: tmMin, max: tmMax },
      total: { min: fixedTotal + tmMin, max: fixedTotal + tmMax },
    },
    work: {
      developerIntegration,
      developerKpi,
      architectIntegration,
      architectKpi,
      cloudArchitect,
      accessSpecialist: setup ? toHundredths(book.environment.access_specialist_hours) : undefined,
    },
  };
}
