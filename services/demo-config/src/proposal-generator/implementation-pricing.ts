// The one-time statement of work: a line per object and per KPI, the
// environment setup, and the T&M items as hour ranges. A T&M object or KPI keeps
// its line (hours 0, cost 0) and is priced in tm_items, so fixed_total counts only
// fixed work and the T&M range is everything else.
import { PLATFORM_LABELS, TM_INTEGRATION_TYPE, TM_KPI_COMPLEXITY } from './catalog.js';
import type { FixedPrice, PriceBook } from './price-book.js';
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

/** A T&M object or KPI: its tm_items line and its hour range. */
interface TmPrice {
  readonly description: string;
  readonly range: HoursRange;
}

/**
 * The lines of objects or KPIs: a fixed-price item is charged from the book (the
 * developer's hours); a T&M one keeps its line at hours 0 and cost 0 and adds a
 * T&M item (the architect's hours, at the top of its range). `lineOf` makes object
 * literals of one shape, no spreads: this runs for up to 1,000 objects and 5,000 KPIs per quote.
 */
function priceLines<Item, Line>(
  items: readonly Item[],
  priceOf: (item: Item) => FixedPrice | TmPrice,
  lineOf: (item: Item, hours: number, cost: number) => Line,
  rate: number,
  tmItems: TmItem[],
): { lines: Line[]; fixed: number; developer: number; architect: number } {
  const lines: Line[] = [];
  let fixed = 0;
  let developer = 0;
  let architect = 0;
  for (const item of items) {
    const price = priceOf(item);
    if ('range' in price) {
      tmItems.push(tmItem(price.description, price.range, rate));
      architect += toHundredths(price.range.max);
      lines.push(lineOf(item, 0, 0));
    } else {
      lines.push(lineOf(item, price.hours, price.charge));
      fixed += price.charge;
      developer += toHundredths(price.hours);
    }
  }
  return { lines, fixed, developer, architect };
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

  const objects = priceLines(
    questionnaire.objects,
    ({ name, source_system, integration, tm_hours }) =>
      integration === TM_INTEGRATION_TYPE
        ? {
            description: `Streaming API integration (non-architected): ${name} (${source_system})`,
            range: tm_hours ?? book.time_and_materials.default_hours.streaming_api_non_architected,
          }
        : book.integration[integration],
    ({ name, source_system, integration }, hours, cost): DataIntegrationLine => ({
      object: name,
      source_system,
      integration,
      hours,
      cost,
    }),
    rate,
    tmItems,
  );
  const kpis = priceLines(
    questionnaire.kpis,
    ({ code, name, complexity, tm_hours }) =>
      complexity === TM_KPI_COMPLEXITY
        ? {
            description: `Dynamic RBAC KPI: ${code} ${name}`,
            range: tm_hours ?? book.time_and_materials.default_hours.dynamic_rbac,
          }
        : book.kpi[complexity],
    ({ code, name, complexity }, hours, cost): KpiLine => ({ code, name, complexity, hours, cost }),
    rate,
    tmItems,
  );
  fixedTotal += objects.fixed + kpis.fixed;

  let tmMin = 0;
  let tmMax = 0;
  for (const item of tmItems) {
    tmMin += item.cost.min;
    tmMax += item.cost.max;
  }
  const setup = platform !== 'none';
  return {
    implementation: {
      data_integration: objects.lines,
      kpi_implementation: kpis.lines,
      environment,
      tm_items: tmItems,
      fixed_total: fixedTotal,
      tm_range: { min: tmMin, max: tmMax },
      total: { min: fixedTotal + tmMin, max: fixedTotal + tmMax },
    },
    work: {
      developerIntegration: objects.developer,
      developerKpi: kpis.developer,
      architectIntegration: objects.architect,
      architectKpi: kpis.architect,
      cloudArchitect,
      accessSpecialist: setup ? toHundredths(book.environment.access_specialist_hours) : undefined,
    },
  };
}
