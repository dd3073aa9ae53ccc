// Preview of API and file sources: the first items of the JSON array (or of the
// object member `table` names, else its first array member), the first rows of a
// sheet or csv (`table` names the sheet). Columns in first-seen order, typed from
// the previewed values.
import { apiTableName, fetchApi, jsonArrayOf } from './api-source.js';
import { ColumnInference } from './column-inference.js';
import { cellValue, loadWorkbook, sheetHeader, sheetName } from './file-source.js';
import { PreviewRequestError } from './preview-errors.js';
import type { PreviewColumn } from './preview-shaping.js';
import type { ProbeContext, ProbeInput } from './probe.js';
import type { PreviewRequest, RawPreview } from './sql-preview.js';

/** Items as rows: objects by member, anything else as one column named value. */
function fromRecords(table: string, records: readonly unknown[], wanted: readonly string[] | undefined): RawPreview {
  const names: string[] = [];
  const seen = new Set<string>();
  const objects = records.map((record) =>
    typeof record === 'object' && record !== null && !Array.isArray(record)
      ? (record as Record<string, unknown>)
      : { value: record },
  );
  for (const object of objects) {
    for (const name of Object.keys(object)) {
      if (seen.has(name)) continue;
      seen.add(name);
      names.push(name);
    }
  }
  let chosen = names;
  if (wanted && wanted.length > 0) {
    wanted.forEach((name, index) => {
      if (!seen.has(name))
        throw new PreviewRequestError(
          'UNKNOWN_COLUMN',
          `no previewed row has a column '${name}'`,
          `body.columns.${String(index)}`,
        );
    });
    chosen = [...wanted];
  }
  const columns: PreviewColumn[] = chosen.map((name) => {
    const inference = new ColumnInference();
    for (const object of objects) inference.add(object[name]);
    return { name, type: inference.result(name).type };
  });
  return { table, columns, rows: objects.map((object) => ({ values: chosen.map((name) => object[name]) })) };
}

export async function previewApi(
  input: ProbeInput,
  context: ProbeContext,
  asked: Partial<PreviewRequest>,
): Promise<RawPreview> {
  const fetched = await fetchApi(input, context, true);
  if (!fetched) throw new Error('fetchApi read no body');
  const name = apiTableName(fetched.url);
  const member = asked.table !== undefined && asked.table !== name ? asked.table : undefined;
  if (member !== undefined && Array.isArray(fetched.body)) {
    throw new PreviewRequestError(
      'UNKNOWN_TABLE',
      `the response is one array, table '${name}'; it has no '${member}'`,
      'body.table',
    );
  }
  let items: unknown[];
  try {
    items = jsonArrayOf(fetched.body, fetched.where, member);
  } catch (error) {
    if (member === undefined) throw error;
    throw new PreviewRequestError('UNKNOWN_TABLE', `the response has no array member '${member}'`, 'body.table');
  }
  return fromRecords(member ?? name, items.slice(0, asked.limit ?? 5), asked.columns);
}

export async function previewFile(
  input: ProbeInput,
  context: ProbeContext,
  asked: Partial<PreviewRequest>,
): Promise<RawPreview> {
  const { workbook, path, extension } = await loadWorkbook(input, context);
  const sheets = workbook.worksheets;
  const sheet =
    asked.table === undefined ? sheets[0] : sheets.find((s) => sheetName(s, path, extension) === asked.table);
  if (!sheet) {
    throw new PreviewRequestError('UNKNOWN_TABLE', `the file has no sheet '${asked.table ?? ''}'`, 'body.table');
  }
  const header = sheetHeader(sheet);
  const limit = asked.limit ?? 5;
  const records: Record<string, unknown>[] = [];
  for (let rowNumber = 2; rowNumber <= Math.min(sheet.rowCount, limit + 1); rowNumber += 1) {
    const row = sheet.getRow(rowNumber);
    records.push(
      Object.fromEntries(header.map((name, index) => [name, cellValue(row.getCell(index + 1).value) ?? null])),
    );
  }
  const preview = fromRecords(sheetName(sheet, path, extension), records, asked.columns);
  // Every header cell is a column, even with no rows under it.
  if (!asked.columns?.length && records.length === 0)
    return { ...preview, columns: header.map((name) => ({ name, type: 'string' })) };
  return preview;
}
