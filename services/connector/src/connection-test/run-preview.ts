// One preview: the source's adapter under the same egress policy and deadline as
// a connection test, its values shaped and bounded. Throws a ConnectionTestError
// (typed code, message without secrets) or a PreviewRequestError.
import type { ConnectorType } from '@analytics-engine/storage';
import type { ConnectionTestConfig } from '../config.js';
import { createDeadlineRunner } from './deadline.js';
import { ConnectionTestError, errorLabel, findConnectionTestError } from './errors.js';
import { PreviewRequestError } from './preview-errors.js';
import { shapePreview, type Preview } from './preview-shaping.js';
import type { ProbeContext, ProbeInput } from './probe.js';
import { previewApi, previewFile } from './source-preview.js';
import { previewSql, type PreviewRequest, type RawPreview } from './sql-preview.js';

export interface PreviewAsked extends Omit<PreviewRequest, 'table'> {
  readonly table?: string | undefined;
  readonly timeoutMs?: number | undefined;
}

export interface PreviewResult extends Preview {
  readonly table: string;
  readonly latency_ms: number;
}

export interface Previewer {
  preview(type: ConnectorType, input: ProbeInput, asked: PreviewAsked): Promise<PreviewResult>;
}

export function createPreviewer(config: ConnectionTestConfig, onUnexpected: (label: string) => void): Previewer {
  const withinDeadline = createDeadlineRunner(config);
  const adapters: Record<
    ConnectorType,
    (input: ProbeInput, context: ProbeContext, asked: PreviewAsked) => Promise<RawPreview>
  > = {
    sql: (input, context, asked) => {
      if (asked.table === undefined) {
        throw new PreviewRequestError(
          'UNKNOWN_TABLE',
          'table is required for sql profiles (schema.table)',
          'body.table',
        );
      }
      return previewSql(input, context, { ...asked, table: asked.table });
    },
    api: previewApi,
    excel: previewFile,
  };
  return {
    async preview(type, input, asked) {
      const started = performance.now();
      try {
        const raw = await withinDeadline(asked.timeoutMs, undefined, (context) =>
          adapters[type](input, context, asked),
        );
        const shaped = shapePreview(raw.columns, raw.rows);
        return { table: raw.table, ...shaped, latency_ms: Math.round(performance.now() - started) };
      } catch (error) {
        if (error instanceof PreviewRequestError) throw error;
        const known = findConnectionTestError(error);
        if (known) throw known;
        onUnexpected(errorLabel(error));
        throw new ConnectionTestError('unreachable', `the preview failed unexpectedly (${errorLabel(error)})`);
      }
    },
  };
}
