// The business rules of a service proposal, in one place, each with its own code:
//
// - document rules (they hold for every stored proposal): pricing.total and
//   resources.hours are not negative; timeline.end_date is not before
//   start_date; when every value of pricing.breakdown is a number, they add up to
//   pricing.total to the cent. They are refinements of the proposal schema the
//   repository validates every write with, so no write path can skip them; a
//   document that breaks only rules is a 422 naming them, one that is malformed
//   too a 400 naming every field (the HTTP layer's one mapping of issues).
// - the status rule (it needs the stored row): status moves only
//   draft -> sent -> accepted | rejected; staying put is fine; accepted and
//   rejected are final. Checked against the row held locked, so two racing moves
//   serialise and only one wins.
// - the initial status: a new proposal starts as draft (the default) or sent
//   (a proposal sent before it was recorded here); accepted and rejected need a
//   proposal that was sent first.
import { ApiError } from '@analytics-engine/http';
import {
  addRuleIssue,
  pricingSchema,
  resourcesSchema,
  serviceProposalSchema,
  type JsonObject,
  type ProposalStatus,
  type ServiceProposal,
} from '@analytics-engine/storage';
import { z } from 'zod';
import { proposalLicenseSchema } from './proposal-acceptance.js';
import { priceBookFileSchema, questionnaireSchema, quoteJsonSchema } from './proposal-generator/index.js';

const documentRules = {
  TIMELINE_END_BEFORE_START: 'timeline.end_date must not be before timeline.start_date',
  NEGATIVE_PRICING_TOTAL: 'pricing.total must not be negative',
  NEGATIVE_RESOURCE_HOURS: 'resources.hours must not be negative',
  PRICING_BREAKDOWN_MISMATCH: 'the numbers in pricing.breakdown must add up to pricing.total, to the cent',
} as const;

export type DocumentRule = keyof typeof documentRules;

/** A member-level rule: it is reported even when other members are malformed. */
const notNegative = (rule: DocumentRule) =>
  z.number().superRefine((value, context) => {
    if (value < 0) addRuleIssue(context, rule, [], documentRules[rule]);
  });

/**
 * The proposal: the guide's document, its amounts held to the rules, and what a
 * generated one keeps (proposal-generation.ts): its questionnaire, its quote and
 * the price book it was priced with.
 */
export const proposalDocumentSchema = serviceProposalSchema.extend({
  pricing: pricingSchema.extend({ total: notNegative('NEGATIVE_PRICING_TOTAL').optional() }).optional(),
  resources: resourcesSchema.extend({ hours: notNegative('NEGATIVE_RESOURCE_HOURS').optional() }).optional(),
  questionnaire: questionnaireSchema
    .optional()
    .describe(
      'The eight-step questionnaire: when given, pricing, timeline, resources and the quote are generated from it',
    ),
  quote: quoteJsonSchema
    .optional()
    .describe('Generated from the questionnaire (read-only): prices, schedule and roles'),
  price_book: priceBookFileSchema
    .optional()
    .describe('Generated (read-only): the price book the quote was priced with'),
  license: proposalLicenseSchema.optional(),
});

type RuleSubject = Pick<ServiceProposal, 'pricing' | 'timeline' | 'resources'>;

interface RuleViolation {
  readonly rule: DocumentRule;
  readonly path: (string | number)[];
  readonly message: string;
}

/** The cross-field rules. */
export function crossFieldViolations(document: RuleSubject): RuleViolation[] {
  const violations: RuleViolation[] = [];
  const { start_date: start, end_date: end } = document.timeline ?? {};
  // ISO calendar dates (YYYY-MM-DD) order as strings.
  if (start !== undefined && end !== undefined && end < start) {
    violations.push({
      rule: 'TIMELINE_END_BEFORE_START',
      path: ['timeline', 'end_date'],
      message: `${documentRules.TIMELINE_END_BEFORE_START} (${end} is before ${start})`,
    });
  }
  const { total, breakdown } = document.pricing ?? {};
  const amounts = breakdown === undefined ? [] : Object.values(breakdown);
  if (total !== undefined && amounts.length > 0 && amounts.every((amount) => typeof amount === 'number')) {
    const sum = amounts.reduce((cents, amount) => cents + toCents(amount), 0);
    if (sum !== toCents(total)) {
      const sums = `they add up to ${formatCents(sum)}, pricing.total is ${formatCents(toCents(total))}`;
      violations.push({
        rule: 'PRICING_BREAKDOWN_MISMATCH',
        path: ['pricing', 'breakdown'],
        message: `${documentRules.PRICING_BREAKDOWN_MISMATCH} (${sums})`,
      });
    }
  }
  return violations;
}

/** The cross-field rules as a refinement: of the create and replace bodies, and of the stored proposal. */
export function proposalRules(document: JsonObject, context: z.RefinementCtx): void {
  for (const violation of crossFieldViolations(document))
    addRuleIssue(context, violation.rule, violation.path, violation.message);
}

/** What the repository validates every write with. */
export const proposalSchema = proposalDocumentSchema.superRefine(proposalRules);

/** Money compared in integer cents, so 0.1 + 0.2 equals 0.3. */
export function toCents(amount: number): number {
  return Math.round(amount * 100);
}

function formatCents(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const absolute = Math.abs(cents);
  return `${sign}${Math.trunc(absolute / 100)}.${String(absolute % 100).padStart(2, '0')}`;
}

const nextStatuses: Record<ProposalStatus, readonly ProposalStatus[]> = {
  draft: ['sent'],
  sent: ['accepted', 'rejected'],
  accepted: [],
  rejected: [],
};

/** Statuses a new proposal may start in. */
const initialStatuses: readonly ProposalStatus[] = ['draft', 'sent'];

/** The status rules, against the row held locked (undefined: a new proposal). */
export function checkStatusChange(current: ServiceProposal | undefined, next: JsonObject): void {
  const to = (next.status ?? 'draft') as ProposalStatus;
  if (current === undefined) assertInitialStatus(to);
  else assertStatusTransition(current.status, to);
}

/** 409 INVALID_STATUS_TRANSITION unless `to` is `from` or a next step of it. */
function assertStatusTransition(from: ProposalStatus, to: ProposalStatus): void {
  const allowed = nextStatuses[from];
  if (to === from || allowed.includes(to)) return;
  const reason =
    allowed.length === 0
      ? `'${from}' is final`
      : `from '${from}' a proposal can only move to ${allowed.map((status) => `'${status}'`).join(' or ')}`;
  const message = `status cannot move from '${from}' to '${to}': ${reason} (draft -> sent -> accepted | rejected)`;
  throw new ApiError(409, 'INVALID_STATUS_TRANSITION', message, [{ path: 'body.status', message }]);
}

/** 422 INVALID_INITIAL_STATUS unless a new proposal starts as draft or sent. */
function assertInitialStatus(status: ProposalStatus): void {
  if (initialStatuses.includes(status)) return;
  const message =
    `a new proposal starts as 'draft' or 'sent', not '${status}': ` +
    `it must be sent before it is accepted or rejected`;
  throw new ApiError(422, 'INVALID_INITIAL_STATUS', message, [{ path: 'body.status', message }]);
}
