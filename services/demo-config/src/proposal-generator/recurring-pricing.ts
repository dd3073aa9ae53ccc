// The recurring parts of a quote: the licence, the infrastructure (monthly, and
// annual as twelve months) and managed services.
import type { LicenseTerm } from './catalog.js';
import type { InfrastructureQuantities } from './infrastructure-sizing.js';
import type { PriceBook } from './price-book.js';
import type { Questionnaire } from './questionnaire-schema.js';
import type { Cents, MonthlyAnnual, QuoteInfrastructure, QuoteLicensing, QuoteManagedServices } from './quote-types.js';
import { costOfHours } from './units.js';

export function priceLicensing(valueChains: readonly string[], term: LicenseTerm, book: PriceBook): QuoteLicensing {
  const rate = book.licensing.per_chain_per_year[term];
  const annual = valueChains.length * rate;
  return {
    value_chains: valueChains,
    term_years: term,
    annual_rate_per_chain: rate,
    annual_total: annual,
    term_total: annual * term,
  };
}

const monthlyAnnual = (monthly: Cents): MonthlyAnnual => ({ monthly, annual: monthly * 12 });

export function priceInfrastructure(quantities: InfrastructureQuantities, book: PriceBook): QuoteInfrastructure {
  const price = book.infrastructure;
  const compute =
    quantities.api_gateway_instances * price.api_gateway_instance_per_month +
    quantities.business_service_instances * price.business_service_instance_per_month +
    quantities.backend_service_instances * price.backend_service_instance_per_month;
  const storage =
    quantities.hot_storage_gb * price.hot_storage_per_gb_month +
    quantities.cold_storage_gb * price.cold_storage_per_gb_month +
    quantities.redis * price.redis_node_per_month;
  const network = quantities.data_transfer_gb_per_month * price.data_transfer_per_gb;
  return {
    compute: monthlyAnnual(compute),
    storage: monthlyAnnual(storage),
    network: monthlyAnnual(network),
    total: monthlyAnnual(compute + storage + network),
  };
}

export function priceManagedServices(
  managed: Questionnaire['managed_services'],
  book: PriceBook,
): QuoteManagedServices {
  const retainer = managed.retainer ? book.managed_services.retainer_per_year : 0;
  const additional = costOfHours(managed.additional_hours_per_year, book.managed_services.hourly_rate);
  return {
    retainer: managed.retainer,
    additional_hours: managed.additional_hours_per_year,
    additional_cost: additional,
    annual_total: retainer + additional,
  };
}
