// The generator's codes (integration types, KPI complexities, platforms) as
// the reference words them, from the generator's own catalogue; a code it does
// not know (a hand-made or older quote) is spelled out from its parts.
import { INTEGRATION_LABELS, KPI_COMPLEXITY_LABELS, PLATFORM_LABELS } from '../proposal-generator/catalog.js';
import { displayCode } from './content-blocks.js';

function lookup(labels: Readonly<Record<string, string>>, code: string): string {
  const label = Object.hasOwn(labels, code) ? labels[code] : undefined;
  if (label === undefined) return displayCode(code);
  return label.charAt(0).toUpperCase() + label.slice(1);
}

export const integrationLabel = (code: string): string => lookup(INTEGRATION_LABELS, code);
export const complexityLabel = (code: string): string => lookup(KPI_COMPLEXITY_LABELS, code);
export const platformLabel = (code: string): string => lookup(PLATFORM_LABELS, code);
