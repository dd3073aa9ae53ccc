// The rules of a profile write that need the stored row: a schedule checked whole
// once merged (a patch may change one member of it), and selected tables checked
// against the schema_info they will sit beside. Only what the write sends is
// checked: a table that vanished on rediscovery stays selected (discovery reports
// it) and a legacy schedule stays readable until it is written again.
import { ApiError, type PendingChange } from '@analytics-engine/http';
import { scheduleSchema, type ConnectorProfile, type JsonObject } from '@analytics-engine/storage';
import { unknownTables } from './schema-changes.js';
import { scheduleProblems } from './schedule.js';

export function prepareProfile({ current, next, body }: PendingChange<ConnectorProfile>): JsonObject {
  const document: JsonObject = { ...next };
  if (typeof body.schedule === 'object' && body.schedule !== null) document.schedule = checkedSchedule(next.schedule);
  if (Array.isArray(body.selected_tables)) checkSelectedTables(next, current?.selected_tables ?? []);
  return document;
}

function checkedSchedule(merged: unknown): JsonObject {
  // next_runs is what a read shows: a client may send a schedule back as it read it.
  const { next_runs: _shown, ...rest } = merged as JsonObject;
  const parsed = scheduleSchema.safeParse(rest);
  const problems = parsed.success
    ? scheduleProblems(parsed.data)
    : parsed.error.issues.map((issue) => ({
        path: ['body', 'schedule', ...issue.path].join('.'),
        message: issue.message,
      }));
  if (problems.length > 0) {
    throw new ApiError(400, 'VALIDATION_FAILED', problems.map((p) => `${p.path}: ${p.message}`).join('; '), problems);
  }
  return rest;
}

function checkSelectedTables(next: JsonObject, kept: readonly string[]): void {
  const selected = (next.selected_tables ?? []) as string[];
  const unknown = new Set(unknownTables(selected, next.schema_info).filter((entry) => !kept.includes(entry)));
  if (unknown.size === 0) return;
  const details = selected.flatMap((entry, index) =>
    unknown.has(entry)
      ? [
          {
            path: `body.selected_tables.${String(index)}`,
            message: `'${entry}' is not a table of the stored schema_info`,
          },
        ]
      : [],
  );
  throw new ApiError(
    422,
    'UNKNOWN_TABLE',
    `selected_tables names ${[...unknown].map((t) => `'${t}'`).join(', ')}, not in the profile's schema_info ` +
      '(discover again, or pick a schema.table key it lists)',
    details,
  );
}
