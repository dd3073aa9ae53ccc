// The document's section headings, as the reference orders them (section 8 of
// proposal-pricing.md). Every format prints exactly these.
export const EXECUTIVE_SUMMARY_HEADING = 'Executive Summary';

export const SECTION_HEADINGS = [
  '1. Licensing',
  '2. Implementation: Statement of Work',
  '3. Infrastructure',
  '4. Managed Services',
  '5. Cost Summary',
  '6. Resource Schedule',
  '7. Terms and Conditions',
  '8. Next Steps',
] as const;

export const DOCUMENT_TITLE = 'Analytics Engine Proposal';

/** Days a proposal stays valid from its date when no quote says otherwise (the reference's 30). */
export const VALIDITY_DAYS = 30;
