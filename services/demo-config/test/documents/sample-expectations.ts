// What every format must print of the sample quote, read back as text.
import { expect } from 'vitest';
import { SAMPLE_NAMES, SAMPLE_TOTALS } from './sample-quote.js';

/** Every total of the sample as the reference prints it, and every name exactly as written. */
export function expectSampleFiguresAndNames(text: string): void {
  for (const figure of Object.values(SAMPLE_TOTALS)) expect(text).toContain(figure);
  for (const name of SAMPLE_NAMES) expect(text).toContain(name);
}
