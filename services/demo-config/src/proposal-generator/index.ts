// The proposal generator's public API: what routes and renderers import.
export * from './catalog.js';
export { generateQuote, implementationHours, NoValueChainsError, termBreakdown } from './generate-quote.js';
export type { GenerateQuoteOptions, TermBreakdown } from './generate-quote.js';
export { infrastructureQuantities, SIZING } from './infrastructure-sizing.js';
export type { InfrastructureQuantities } from './infrastructure-sizing.js';
export { centsToDollars, dollarsToCents, formatUsd, formatUsdRange } from './money.js';
export {
  contentVersion,
  defaultPriceBook,
  defaultPriceBookFile,
  loadPriceBook,
  parsePriceBook,
  PriceBookFileError,
  priceBookFromFile,
  priceBookToFile,
} from './price-book.js';
export type { FixedPrice, PriceBook } from './price-book.js';
export { priceBookFileSchema } from './price-book-file-schema.js';
export type { PriceBookFile } from './price-book-file-schema.js';
export { MAX_KPIS, MAX_OBJECTS, questionnaireExample, questionnaireSchema } from './questionnaire-schema.js';
export type {
  Questionnaire,
  QuestionnaireInfrastructure,
  QuestionnaireInput,
  QuestionnaireKpi,
  QuestionnaireObject,
  QuestionnaireRetention,
} from './questionnaire-schema.js';
export { quoteFromJson, quoteJsonSchema, quoteToJson } from './quote-json.js';
export type { QuoteJson } from './quote-json.js';
export type * from './quote-types.js';
export { ROLE_NAMES, SCHEDULE_MODEL } from './schedule.js';
