// DocumentInput -> the format-neutral document: the title block, the executive
// summary and the reference's eight sections, in order. Pure: no I/O, no clock.
import { displayCode, fact, list, paragraph } from './content-blocks.js';
import type { Block, DocumentContent, Fact, Section } from './content-model.js';
import type { DocumentInput } from './document-input.js';
import { addDays } from './format-text.js';
import {
  handEnteredCostSummary,
  handEnteredSchedule,
  handEnteredSummary,
  noQuoteNote,
} from './hand-entered-sections.js';
import { DOCUMENT_TITLE, EXECUTIVE_SUMMARY_HEADING, SECTION_HEADINGS, VALIDITY_DAYS } from './headings.js';
import {
  costSummaryBlocks,
  infrastructureBlocks,
  licensingBlocks,
  managedServicesBlocks,
  scheduleBlocks,
  summaryBlocks,
} from './quote-sections.js';
import { implementationBlocks } from './sow-section.js';

export function buildDocumentContent(input: DocumentInput): DocumentContent {
  const { proposal, quote } = input;
  const client = proposal.client_name ?? proposal.client_id;
  const validUntil = quote?.valid_until ?? addDays(input.date, VALIDITY_DAYS);
  const [licensing, implementation, infrastructure, managed, costs, schedule, terms, nextSteps] = SECTION_HEADINGS;

  const titleFacts: Fact[] = [
    fact('Client', client),
    fact('Proposal', proposal.proposal_id),
    fact('Date', input.date),
    fact('Valid until', validUntil),
    fact('Type', proposal.proposal_type === undefined ? 'not recorded' : displayCode(proposal.proposal_type)),
    fact('Status', displayCode(proposal.status)),
  ];
  if (client !== proposal.client_id) titleFacts.splice(1, 0, fact('Client id', proposal.client_id));

  const sections: Section[] = [
    {
      heading: EXECUTIVE_SUMMARY_HEADING,
      blocks: quote ? summaryBlocks(client, quote) : handEnteredSummary(client, proposal),
    },
    { heading: licensing, blocks: quote ? licensingBlocks(quote) : [noQuoteNote('licensing')] },
    { heading: implementation, blocks: quote ? implementationBlocks(quote) : [noQuoteNote('implementation')] },
    { heading: infrastructure, blocks: quote ? infrastructureBlocks(quote) : [noQuoteNote('infrastructure')] },
    { heading: managed, blocks: quote ? managedServicesBlocks(quote) : [noQuoteNote('managed services')] },
    { heading: costs, blocks: quote ? costSummaryBlocks(quote) : handEnteredCostSummary(proposal) },
    {
      heading: schedule,
      blocks: quote ? scheduleBlocks(quote.schedule) : handEnteredSchedule(proposal),
      newPage: true,
    },
    { heading: terms, blocks: termsBlocks(input, validUntil) },
    { heading: nextSteps, blocks: nextStepsBlocks(input, validUntil) },
  ];
  return { title: DOCUMENT_TITLE, client, proposalId: proposal.proposal_id, titleFacts, sections };
}

function termsBlocks({ quote }: DocumentInput, validUntil: string): Block[] {
  const terms = [
    `This proposal is valid until ${validUntil}; after that date it can no longer be accepted.`,
    'All amounts are in US dollars.',
  ];
  if (quote) {
    const years = quote.licensing.term_years;
    terms.push(
      'Fixed-price work is charged at the prices in section 2. Time-and-materials work is charged at its hourly ' +
        'rate for the hours worked; its hours are estimated as ranges, so the implementation total is a range.',
      `Licence fees are charged per year over the ${years}-year term; infrastructure and managed services per year.`,
      'Infrastructure figures are monthly estimates from the expected data volume, users, refresh period and ' +
        'retention; they follow actual usage.',
      `Priced with price book ${quote.price_book.version}; these prices hold while the proposal is valid.`,
    );
  }
  terms.push('The licence agreement governs the use of the software; the licence key is issued on acceptance.');
  return [list(terms)];
}

function nextStepsBlocks({ quote, proposal }: DocumentInput, validUntil: string): Block[] {
  const first = quote?.schedule.phases[0];
  const start = quote?.schedule.start_date ?? proposal.timeline?.start_date;
  return [
    paragraph('To go ahead:'),
    list(
      [
        `Approve this proposal before ${validUntil}.`,
        'Sign the licence agreement.',
        start === undefined ? 'Hold the kick-off meeting.' : `Hold the kick-off meeting in the week of ${start}.`,
        first === undefined
          ? 'Begin implementation.'
          : `Begin implementation: ${first.name}, from week ${first.start_week}.`,
      ],
      true,
    ),
  ];
}
