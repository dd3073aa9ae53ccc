// The business rules of a service proposal, in one place:
//
// - document rules (they hold for every stored proposal): timeline.end_date is
//   not before start_date; pricing.total and resources.hours are not negative;
//   when every value of pricing.breakdown is a number, they add up to
//   pricing.total to the cent. They live in `proposalDocumentSchema`, which the
//   repository validates every write with, so no write path can skip them.
// - the status rule (it needs the stored row): status moves only
//   draft -> sent -> accepted | rejected; staying put is fine; accepted and
//   rejected are final. Routes check it inside the repository's `update`, against
//   the row it holds locked, so two racing moves serialise and only one wins.
// - the initial status: a new proposal starts as draft (the default) or sent
//   (a proposal sent before it was recorded here); accepted and rejected need a
//   proposal that was sent first.
//
// Each violation is an ApiError with a stable code naming the rule and the
// field path in details.
import { ApiError, type ErrorDetail } from '@analytics-engine/http';
import { InvalidDocumentError, serviceProposalSchema, type ProposalStatus, type ServiceProposal } from '@analytics-engine/storage';
import type { FastifyServerOptions } from 'fastify';
import type { z } from 'zod';

export const documentRules = {
  TIMELINE_END_BEFORE_START: 'timeline.end_date must not be before timeline.start_date',
  NEGATIVE_PRICING_TOTAL: 'pricing.total must not be negative',
  NEGATIVE_RESOURCE_HOURS: 'resources.hours must not be negative',
  PRICING_BREAKDOWN_MISMATCH: 'the numbers in pricing.breakdown must add up to pricing.total, to the cent',
} as const;

export type DocumentRule = keyof typeof documentRules;

/** Document rules are about the content sent: 422 Unprocessable Content. */
const DOCUMENT_RULE_STATUS = 422;

interface RuleViolation {
  readonly rule: DocumentRule;
  readonly path: readonly (string | number)[];
  readonly message: string;
}

type RuleSubject = Pick<ServiceProposal, 'pricing' | 'timeline' | 'resources'>;

/**
 * The cross-field rules. The non-negative rules are checks of the storage
 * schema itself (`nonnegative()`); `ruleOf` names them.
 */
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
      violations.push({
        rule: 'PRICING_BREAKDOWN_MISMATCH',
        path: ['pricing', 'breakdown'],
        message: `${documentRules.PRICING_BREAKDOWN_MISMATCH} (they add up to ${formatCents(sum)}, pricing.total is ${formatCents(toCents(total))})`,
      });
    }
  }
  return violations;
}

/** Money compared in integer cents, so 0.1 + 0.2 equals 0.3. */
export function toCents(amount: number): number {
  return Math.round(amount * 100);
}

function formatCents(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const absolute = Math.abs(cents);
  return `${sign}${Math.trunc(absolute / 100)}.${String(absolute % 100).padStart(2, '0')}`;
}

/** Adds the cross-field rules to a proposal schema; each issue carries its rule in params. */
export function withProposalRules<S extends z.ZodType<RuleSubject>>(schema: S): S {
  return schema.superRefine((document, context) => {
    for (const violation of crossFieldViolations(document)) {
      context.addIssue({ code: 'custom', path: [...violation.path], message: violation.message, params: { rule: violation.rule } });
    }
  });
}

/** The proposal document with its rules: what the repository validates every write with. */
export const proposalDocumentSchema = withProposalRules(serviceProposalSchema);

/** Where a validation issue comes from, whether zod reported it directly or through Fastify. */
interface IssueLike {
  readonly code: string;
  readonly path: readonly (string | number)[];
  readonly message: string;
  readonly params?: unknown;
}

const nonNegativeRules: Record<string, DocumentRule> = {
  'pricing.total': 'NEGATIVE_PRICING_TOTAL',
  'resources.hours': 'NEGATIVE_RESOURCE_HOURS',
};

function ruleOf(issue: IssueLike): RuleViolation | undefined {
  if (issue.code === 'custom' && isRecord(issue.params) && typeof issue.params.rule === 'string' && issue.params.rule in documentRules) {
    return { rule: issue.params.rule as DocumentRule, path: issue.path, message: issue.message };
  }
  const rule = issue.code === 'too_small' ? nonNegativeRules[issue.path.join('.')] : undefined;
  return rule && { rule, path: issue.path, message: documentRules[rule] };
}

/** An ApiError naming the rule, when every issue is a rule violation; undefined otherwise. */
function ruleError(issues: readonly IssueLike[]): ApiError | undefined {
  const violations = issues.map(ruleOf);
  const [first] = violations;
  if (!first || !violations.every((violation) => violation !== undefined)) return undefined;
  const details = violations.map((violation): ErrorDetail => ({ path: ['body', ...violation.path].join('.'), message: violation.message }));
  return new ApiError(DOCUMENT_RULE_STATUS, first.rule, violations.map((violation) => violation.message).join('; '), details);
}

/**
 * Route option `schemaErrorFormatter` for proposal writes: a body that breaks
 * only proposal rules gets the rule's code; anything else stays the shared 400
 * VALIDATION_FAILED (Fastify attaches the issues to the error returned here).
 */
export const proposalSchemaErrorFormatter: NonNullable<FastifyServerOptions['schemaErrorFormatter']> = (errors, dataVar) => {
  if (dataVar === 'body') {
    const issues = errors.map(
      (error): IssueLike => ({
        code: error.keyword,
        path: error.instancePath.split('/').filter(Boolean),
        message: error.message ?? 'is invalid',
        params: error.params.params,
      }),
    );
    const apiError = ruleError(issues);
    if (apiError) return apiError;
  }
  return new Error(`${dataVar} is invalid`);
};

/**
 * Validates a whole proposal (after a merge patch, say) with its rules: a rule
 * violation is an ApiError naming the rule, any other problem the storage
 * package's InvalidDocumentError (the shared 400 with field paths).
 */
export function parseProposal(document: unknown): ServiceProposal {
  const parsed = proposalDocumentSchema.safeParse(document);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map(
    (issue): IssueLike => ({ code: issue.code, path: issue.path.map(pathSegment), message: issue.message, params: 'params' in issue ? issue.params : undefined }),
  );
  throw ruleError(issues) ?? new InvalidDocumentError(issues.map(({ path, message }) => ({ path, message })));
}

const nextStatuses: Record<ProposalStatus, readonly ProposalStatus[]> = {
  draft: ['sent'],
  sent: ['accepted', 'rejected'],
  accepted: [],
  rejected: [],
};

/** Statuses a new proposal may start in. */
export const initialStatuses: readonly ProposalStatus[] = ['draft', 'sent'];

/** 409 INVALID_STATUS_TRANSITION unless `to` is `from` or a next step of it. */
export function assertStatusTransition(from: ProposalStatus, to: ProposalStatus): void {
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
export function assertInitialStatus(status: ProposalStatus): void {
  if (initialStatuses.includes(status)) return;
  const message = `a new proposal starts as 'draft' or 'sent', not '${status}': it must be sent before it is accepted or rejected`;
  throw new ApiError(422, 'INVALID_INITIAL_STATUS', message, [{ path: 'body.status', message }]);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function pathSegment(segment: PropertyKey): string | number {
  return typeof segment === 'symbol' ? String(segment) : segment;
}
