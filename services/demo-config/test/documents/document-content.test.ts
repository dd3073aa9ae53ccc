import { describe, expect, it } from 'vitest';
import type { Block, DocumentContent, Section, TableBlock } from '../../src/documents/content-model.js';
import { buildDocumentContent } from '../../src/documents/document-content.js';
import { EXECUTIVE_SUMMARY_HEADING, SECTION_HEADINGS } from '../../src/documents/headings.js';
import type { Quote } from '../../src/proposal-generator/quote-types.js';
import {
  documentInput,
  handEnteredInput,
  largeQuote,
  SAMPLE_CLIENT,
  SAMPLE_TOTALS,
  sampleQuote,
} from './sample-quote.js';

function section(content: DocumentContent, heading: string): Section {
  const found = content.sections.find((candidate) => candidate.heading === heading);
  if (!found) throw new Error(`no section ${heading}`);
  return found;
}

function tables(blocks: readonly Block[]): TableBlock[] {
  return blocks.filter((block): block is TableBlock => block.kind === 'table');
}

/** Every text of a section, joined: what a reader of any format sees. */
function text(blocks: readonly Block[]): string {
  return blocks
    .map((block) => {
      switch (block.kind) {
        case 'table':
          return [block.columns.map((column) => column.header), ...block.rows, ...block.totals].flat().join(' | ');
        case 'facts':
          return block.items.map((item) => `${item.label}: ${item.value}`).join('\n');
        case 'list':
          return block.items.join('\n');
        case 'gantt':
          return block.chart.bars.map((bar) => bar.label).join('\n');
        default:
          return block.text;
      }
    })
    .join('\n');
}

const ALL_HEADINGS = [EXECUTIVE_SUMMARY_HEADING, ...SECTION_HEADINGS];
const SOW = '2. Implementation: Statement of Work';

describe('document content from a quote', () => {
  const content = buildDocumentContent(documentInput(sampleQuote()));

  it('has the executive summary and the eight numbered sections, in order', () => {
    expect(content.sections.map((candidate) => candidate.heading)).toEqual(ALL_HEADINGS);
  });

  it('opens with the client, the date and the quote validity', () => {
    expect(content.client).toBe(SAMPLE_CLIENT);
    expect(content.titleFacts).toEqual(
      expect.arrayContaining([
        { label: 'Client', value: SAMPLE_CLIENT },
        { label: 'Date', value: '2025-12-15' },
        { label: 'Valid until', value: '2026-01-14' },
        { label: 'Proposal', value: 'prop-001' },
      ]),
    );
  });

  it('prints the reference totals in the cost summary and the summary', () => {
    const costs = text(section(content, '5. Cost Summary').blocks);
    for (const figure of [SAMPLE_TOTALS.year1, SAMPLE_TOTALS.yearlyRecurring, SAMPLE_TOTALS.termTotal]) {
      expect(costs).toContain(figure);
      expect(text(section(content, EXECUTIVE_SUMMARY_HEADING).blocks)).toContain(figure);
    }
    expect(costs).toContain('Each of years 2-3');
  });

  it('builds the SOW tables with subtotals, T&M hour ranges and the implementation range', () => {
    const sow = section(content, SOW);
    const [integration, kpis, environment, tm, total] = tables(sow.blocks);
    expect(integration?.rows).toHaveLength(5);
    expect(integration?.rows[4]).toEqual([
      'Opportunity',
      'HubSpot',
      'Streaming, API non-architected',
      'T&M',
      'T&M, see 2.4',
    ]);
    expect(integration?.totals).toEqual([['Subtotal (5 objects)', '', '', '85', '$10,000']]);
    expect(kpis?.totals).toEqual([['Subtotal (4 KPIs)', '', '', '1.5', '$150']]);
    expect(environment?.rows).toEqual([['AWS', '40', '$7,000']]);
    expect(tm?.rows[0]).toEqual([
      'API non-architected integration: Opportunity (HubSpot)',
      '40 - 60',
      '$175/h',
      '$7,000 - $10,500',
    ]);
    expect(tm?.totals).toEqual([['T&M range', '60 - 90', '', SAMPLE_TOTALS.tmRange]]);
    expect(total?.rows).toEqual([
      ['Fixed-price work', SAMPLE_TOTALS.fixed],
      ['Time and materials', SAMPLE_TOTALS.tmRange],
    ]);
    expect(total?.totals).toEqual([['Implementation total', SAMPLE_TOTALS.implementation]]);
  });

  it('shows infrastructure monthly and annually, and managed services', () => {
    const [infrastructure] = tables(section(content, '3. Infrastructure').blocks);
    expect(infrastructure?.rows).toEqual([
      ['Compute', '$1,600', '$19,200'],
      ['Storage', '$170', '$2,040'],
      ['Network', '$90', '$1,080'],
    ]);
    expect(infrastructure?.totals).toEqual([['Infrastructure total', '$1,860', SAMPLE_TOTALS.infrastructureAnnual]]);
    const [managed] = tables(section(content, '4. Managed Services').blocks);
    expect(managed?.rows[0]?.[2]).toBe('$5,000');
    expect(managed?.rows[1]).toEqual(['Additional support hours', '50', '$3,750']);
    expect(managed?.totals).toEqual([['Managed services per year', '', SAMPLE_TOTALS.managedAnnual]]);
  });

  it('schedules roles by week, never showing the internal rate, and charts every phase', () => {
    const schedule = section(content, '6. Resource Schedule');
    expect(schedule.newPage).toBe(true);
    const [roles] = tables(schedule.blocks);
    expect(roles?.columns.map((column) => column.header)).toEqual(['Role', 'Weeks', 'Hours']);
    expect(roles?.rows[0]).toEqual(['Integration Developer / Analyst', 'Weeks 2-8', '86.5']);
    expect(text(schedule.blocks)).not.toContain('$70');
    const gantt = schedule.blocks.find((block) => block.kind === 'gantt');
    const bars = gantt?.kind === 'gantt' ? gantt.chart.bars : [];
    expect(bars.map((bar) => [bar.startWeek, bar.endWeek, bar.critical])).toEqual([
      [1, 2, true],
      [2, 6, true],
      [4, 8, false],
      [7, 9, true],
      [10, 10, true],
    ]);
  });

  it('ends with terms and the four next steps', () => {
    expect(text(section(content, '7. Terms and Conditions').blocks)).toContain('valid until 2026-01-14');
    const steps = section(content, '8. Next Steps').blocks.find((block) => block.kind === 'list');
    expect(steps?.kind === 'list' && steps.ordered).toBe(true);
    const items = steps?.kind === 'list' ? steps.items : [];
    expect(items.map((item) => item.split(' ')[0])).toEqual(['Approve', 'Sign', 'Hold', 'Begin']);
    expect(items[1]).toBe('Sign the licence agreement.');
  });

  it('is a pure function of its input', () => {
    const quote = sampleQuote();
    const input = Object.freeze(documentInput(deepFreeze(quote)));
    expect(buildDocumentContent(input)).toEqual(buildDocumentContent(documentInput(sampleQuote())));
  });

  it('says so briefly where a quote has no environment, no T&M and no managed services', () => {
    const base = sampleQuote();
    const quote: Quote = {
      ...base,
      implementation: {
        ...base.implementation,
        environment: { platform: 'none', cloud_architect_hours: 0, cost: 0 },
        tm_items: [],
      },
      managed_services: { retainer: false, additional_hours: 0, additional_cost: 0, annual_total: 0 },
      licensing: { ...base.licensing, term_years: 1 },
    };
    const lean = buildDocumentContent(documentInput(quote));
    const sow = section(lean, SOW).blocks;
    expect(sow.filter((block) => block.kind === 'note').map((block) => block.text)).toEqual([
      'No environment setup: the client provides the environment. Cost $0.',
      'No time-and-materials work.',
    ]);
    expect(section(lean, '4. Managed Services').blocks).toEqual([
      { kind: 'note', text: 'No managed services are included.' },
    ]);
    expect(tables(section(lean, '5. Cost Summary').blocks)[0]?.columns[2]?.header).toBe('Renewal year');
  });

  it('prints a T&M environment as its hour range', () => {
    const large = buildDocumentContent(documentInput(largeQuote()));
    const [, , environment] = tables(section(large, SOW).blocks);
    expect(environment?.rows).toEqual([['Azure', '40 - 80 (T&M)', 'T&M, see 2.4']]);
  });
});

describe('document content of a hand-entered proposal', () => {
  const content = buildDocumentContent(handEnteredInput());

  it('keeps the eight sections and says briefly where there is no quote', () => {
    expect(content.sections.map((candidate) => candidate.heading)).toEqual(ALL_HEADINGS);
    expect(section(content, '1. Licensing').blocks).toEqual([
      { kind: 'note', text: 'No licensing quote is recorded on this proposal.' },
    ]);
    expect(content.client).toBe('test-client-001');
    expect(content.titleFacts).toContainEqual({ label: 'Valid until', value: '2026-01-19' });
  });

  it('shows its own pricing (dollars), phases drawn one after another, and its resources', () => {
    const [pricing] = tables(section(content, '5. Cost Summary').blocks);
    expect(pricing?.rows).toEqual([
      ['Licenses', '$18,000'],
      ['Implementation', '$24,000'],
      ['Training', '$6,000'],
    ]);
    expect(pricing?.totals).toEqual([['Total', '$48,000']]);
    const schedule = section(content, '6. Resource Schedule').blocks;
    const gantt = schedule.find((block) => block.kind === 'gantt');
    expect(gantt?.kind === 'gantt' && gantt.chart).toEqual({
      totalWeeks: 10,
      bars: [
        { label: 'Discovery', startWeek: 1, endWeek: 2, critical: false },
        { label: 'Build', startWeek: 3, endWeek: 10, critical: false },
      ],
    });
    expect(text(schedule)).toContain('Lead consultant\nData engineer');
    expect(text(schedule)).toContain('Total hours: 320');
  });

  it('lists phases it cannot draw, and says so when nothing is recorded', () => {
    const base = handEnteredInput();
    const listed = buildDocumentContent({
      ...base,
      proposal: { ...base.proposal, timeline: { phases: ['Discovery', { name: 'Build' }] } },
    });
    const schedule = section(listed, '6. Resource Schedule').blocks;
    expect(schedule.some((block) => block.kind === 'gantt')).toBe(false);
    expect(text(schedule)).toContain('Discovery\n{"name":"Build"}');
    const bare = { proposal_id: 'p', client_id: 'c', proposal_type: 'consulting', status: 'draft' } as const;
    const empty = buildDocumentContent({ ...base, proposal: bare });
    expect(section(empty, '5. Cost Summary').blocks).toEqual([
      { kind: 'note', text: 'No pricing is recorded on this proposal.' },
    ]);
    expect(text(section(empty, '6. Resource Schedule').blocks)).toContain('No phases are recorded on this proposal.');
  });
});

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const member of Object.values(value)) deepFreeze(member);
    Object.freeze(value);
  }
  return value;
}
