// A proposal generated from its questionnaire: the quote (priced with the active
// price book, on today's date) and the guide's fields filled from it, stored
// with the questionnaire and a snapshot of the price book. Repriced only when
// the questionnaire of a draft changes: a later price-book change never
// reprices a proposal, and a sent one is frozen. What is generated is never
// typed in: a body whose quote, price book, pricing, timeline or resources
// differ from the generated ones is refused rather than silently overwritten.
import { isDeepStrictEqual } from 'node:util';
import { ApiError } from '@analytics-engine/http';
import { documentIssues, InvalidDocumentError, type JsonObject, type ServiceProposal } from '@analytics-engine/storage';
import {
  centsToDollars,
  generateQuote,
  implementationHours,
  NoValueChainsError,
  priceBookToFile,
  quoteToJson,
  termBreakdown,
  type PriceBook,
  questionnaireSchema,
  type Questionnaire,
  type Quote,
} from './proposal-generator/index.js';

/** The UTC calendar date of an instant (now by default): a quote's date, a licence's acceptance day. */
export function utcDate(at: Date = new Date()): string {
  return at.toISOString().slice(0, 10);
}

/** Members the generator writes; a client may send them back unchanged (GET then PUT), never different. */
const GENERATED = ['quote', 'price_book', 'pricing', 'timeline', 'resources'] as const;

export interface GenerationContext {
  readonly book: PriceBook;
  /** YYYY-MM-DD, UTC: the quote date. */
  readonly today: string;
  /** The client's modules: the value chains when the questionnaire names none. */
  readonly clientModules: readonly string[] | undefined;
}

/** The quote for a questionnaire, or 422 NO_VALUE_CHAINS. */
export function quoteFor(questionnaire: Questionnaire, context: GenerationContext): Quote {
  try {
    return generateQuote(questionnaire, context.book, { today: context.today, clientModules: context.clientModules });
  } catch (error) {
    if (!(error instanceof NoValueChainsError)) throw error;
    const message = `${error.message}: answer questionnaire.value_chains, or give the client modules`;
    throw new ApiError(422, 'NO_VALUE_CHAINS', message, [
      { path: 'body.questionnaire.value_chains', message: 'no value chains' },
    ]);
  }
}

/** The guide's fields from a quote: pricing over the whole term, the timeline, the roles and hours. */
export function guideFieldsOf(quote: Quote): Pick<ServiceProposal, 'pricing' | 'timeline' | 'resources'> {
  const { total, ...breakdown } = termBreakdown(quote);
  const { schedule } = quote;
  return {
    pricing: {
      total: centsToDollars(total),
      breakdown: Object.fromEntries(Object.entries(breakdown).map(([part, cents]) => [part, centsToDollars(cents)])),
    },
    timeline: {
      start_date: schedule.start_date,
      end_date: schedule.end_date,
      phases: schedule.phases.map((phase) => ({ ...phase })),
    },
    resources: {
      consultants: schedule.roles.map((role) => ({ ...role, rate: centsToDollars(role.rate) })),
      hours: implementationHours(quote).max,
    },
  };
}

/** The document to store for `next`: generated when its questionnaire is new or changed, kept otherwise. */
export function withGeneratedQuote(
  current: JsonObject | undefined,
  next: JsonObject,
  context: () => GenerationContext,
): JsonObject {
  const questionnaire = next.questionnaire as Questionnaire | undefined;
  const changed = current === undefined || !isDeepStrictEqual(current.questionnaire, questionnaire);
  if (questionnaire === undefined || !changed) {
    if (current?.quote !== undefined) refuseTypedIn(next, current, 'the proposal was generated');
    return next;
  }
  if (current !== undefined && current.status !== 'draft') {
    const message =
      `the proposal is ${String(current.status)}: its questionnaire is frozen; ` + `send a new draft to change it`;
    throw new ApiError(409, 'PROPOSAL_FROZEN', message, [{ path: 'body.questionnaire', message: 'frozen once sent' }]);
  }
  const generation = context();
  const quote = quoteFor(validQuestionnaire(questionnaire), generation);
  const generated = {
    ...guideFieldsOf(quote),
    quote: quoteToJson(quote),
    price_book: priceBookToFile(generation.book),
  };
  // What the body says of a generated member must be what the previous generation said, or nothing.
  refuseTypedIn(next, current ?? {}, 'they are generated from the questionnaire');
  return { ...next, ...generated };
}

/** A questionnaire merged from a patch is checked whole before anything is priced from it. */
function validQuestionnaire(questionnaire: unknown): Questionnaire {
  const parsed = questionnaireSchema.safeParse(questionnaire);
  if (parsed.success) return parsed.data;
  const issues = documentIssues(parsed.error.issues).map((issue) => ({
    ...issue,
    path: ['questionnaire', ...issue.path],
  }));
  throw new InvalidDocumentError(issues);
}

/** 422 GENERATED_FIELD when `next` changes a generated member from what `kept` holds. */
function refuseTypedIn(next: JsonObject, kept: JsonObject, why: string): void {
  const changed = GENERATED.filter(
    (member) => next[member] !== undefined && !isDeepStrictEqual(next[member], kept[member]),
  );
  if (changed.length === 0) return;
  const message = `${changed.join(', ')} cannot be written: ${why}; change the questionnaire instead`;
  throw new ApiError(
    422,
    'GENERATED_FIELD',
    message,
    changed.map((member) => ({ path: `body.${member}`, message: 'generated' })),
  );
}
