// What a document is rendered from: the stored proposal (the guide's fields,
// free-form JSON where the guide says so), the quote when the generator made
// one, and the document date (an input, so rendering never reads the clock).
import type { ServiceProposal } from '@analytics-engine/storage';
import type { Quote } from '../proposal-generator/quote-types.js';

export interface DocumentProposal {
  readonly proposal_id: string;
  readonly client_id: string;
  /** The client's display name when the route could look it up; the client id otherwise. */
  readonly client_name?: string | undefined;
  /** Absent on a Python-era proposal not yet completed (needs_completion names it). */
  readonly proposal_type?: ServiceProposal['proposal_type'] | undefined;
  readonly status: ServiceProposal['status'];
  /** The guide's dollars (not cents): a hand-entered total and breakdown. */
  readonly pricing?: ServiceProposal['pricing'];
  readonly timeline?: ServiceProposal['timeline'];
  readonly resources?: ServiceProposal['resources'];
}

export interface DocumentInput {
  readonly proposal: DocumentProposal;
  readonly quote?: Quote | undefined;
  /** ISO calendar date (YYYY-MM-DD) printed as the document's date. */
  readonly date: string;
}
