// `excel` profiles: connection_string is a path relative to CONNECTOR_FILES_DIR
// naming an .xlsx or .csv file. Absolute paths, `..` segments and symbolic links
// leading outside the directory are refused (invalid_config); a missing file is
// not_found. Each .xlsx sheet is a table (a .csv file is one, named after the
// file); row 1 holds the column names, and types are inferred from up to 1,000
// rows below it (integer, number, boolean, date, string; nullable when a cell is empty).
import { realpath, stat } from 'node:fs/promises';
import { basename, extname, isAbsolute, resolve, sep } from 'node:path';
import ExcelJS from 'exceljs';
import { ColumnInference } from './column-inference.js';
import type { DiscoveredColumn, DiscoveredTable, Discovery } from './discovery.js';
import { ConnectionTestError, errorCodeOf } from './errors.js';
import type { ProbeContext, ProbeInput, ProbeResult } from './probe.js';

const MAX_FILE_BYTES = 50 * 1024 * 1024;
const SAMPLE_ROWS = 1_000;

export async function probeFile(input: ProbeInput, context: ProbeContext): Promise<ProbeResult> {
  const { workbook, path, extension } = await loadWorkbook(input, context);
  if (!context.discover) return {};
  const { maxTables } = context.discover;
  const sheets = workbook.worksheets;
  const tables: DiscoveredTable[] = sheets.slice(0, maxTables).map((sheet) => ({
    name: sheetName(sheet, path, extension),
    kind: 'table',
    row_estimate: Math.max(sheet.rowCount - 1, 0),
    columns: sheetColumns(sheet),
  }));
  const discovery: Discovery = { schemaInfo: { tables }, truncated: sheets.length > maxTables };
  return { discovery };
}

/** A .csv file is one table named after the file; an .xlsx sheet is named as in the workbook. */
export const sheetName = (sheet: ExcelJS.Worksheet, path: string, extension: string): string =>
  extension === '.csv' ? basename(path, extname(path)) : sheet.name;

/** The profile's file, read whole (it is at most 50 MiB). */
export async function loadWorkbook(
  input: ProbeInput,
  context: ProbeContext,
): Promise<{ workbook: ExcelJS.Workbook; path: string; extension: string }> {
  const path = await resolveFile(context.filesDir, input.connectionString);
  const extension = extname(path).toLowerCase();
  const workbook = new ExcelJS.Workbook();
  try {
    if (extension === '.xlsx') await workbook.xlsx.readFile(path);
    else await workbook.csv.readFile(path);
  } catch {
    throw new ConnectionTestError('invalid_config', `the file is not a readable ${extension} file`);
  }
  return { workbook, path, extension };
}

/** The real path of the profile's file, inside CONNECTOR_FILES_DIR. */
async function resolveFile(filesDir: string | undefined, relative: string | undefined): Promise<string> {
  if (!filesDir)
    throw new ConnectionTestError('invalid_config', 'CONNECTOR_FILES_DIR is not set: excel profiles cannot be tested');
  const name = relative?.trim();
  if (!name)
    throw new ConnectionTestError(
      'invalid_config',
      'connection_string is required for excel profiles (a path relative to CONNECTOR_FILES_DIR)',
    );
  if (isAbsolute(name) || /^[a-z]:/i.test(name) || name.includes('\u0000') || name.split(/[\\/]/).includes('..')) {
    throw new ConnectionTestError(
      'invalid_config',
      'the file path must be relative to CONNECTOR_FILES_DIR and stay inside it (no absolute path, no ..)',
    );
  }
  const extension = extname(name).toLowerCase();
  if (extension !== '.xlsx' && extension !== '.csv')
    throw new ConnectionTestError('invalid_config', 'only .xlsx and .csv files are supported');
  let root: string;
  try {
    root = await realpath(filesDir);
  } catch {
    throw new ConnectionTestError('invalid_config', 'CONNECTOR_FILES_DIR does not exist');
  }
  let path: string;
  try {
    path = await realpath(resolve(root, name));
  } catch (error) {
    const code = errorCodeOf(error);
    if (code === 'ENOENT' || code === 'ENOTDIR')
      throw new ConnectionTestError('not_found', 'no such file under CONNECTOR_FILES_DIR');
    throw new ConnectionTestError('invalid_config', `the file cannot be opened (${code ?? 'error'})`);
  }
  if (!path.startsWith(root + sep))
    throw new ConnectionTestError(
      'invalid_config',
      'the file path leads outside CONNECTOR_FILES_DIR (through a symbolic link)',
    );
  if (extname(path).toLowerCase() !== extension)
    throw new ConnectionTestError('invalid_config', 'only .xlsx and .csv files are supported');
  const info = await stat(path);
  if (!info.isFile()) throw new ConnectionTestError('invalid_config', 'the path does not name a regular file');
  if (info.size > MAX_FILE_BYTES)
    throw new ConnectionTestError('invalid_config', `the file is larger than ${MAX_FILE_BYTES} bytes`);
  return path;
}

/** A cell's plain value: formulas give their result, rich text and hyperlinks their text. */
export function cellValue(value: ExcelJS.CellValue): unknown {
  if (value === null || value === undefined || typeof value !== 'object' || value instanceof Date) return value;
  if ('result' in value) return value.result;
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('text' in value) return value.text;
  if ('error' in value) return undefined;
  return JSON.stringify(value);
}

/** Row 1's names: an empty cell is column_<n>, a repeated name gets _2, _3, ... */
export function sheetHeader(sheet: ExcelJS.Worksheet): string[] {
  const header = sheet.getRow(1);
  const names: string[] = [];
  const seen = new Set<string>();
  for (let index = 1; index <= header.cellCount; index += 1) {
    const raw = cellValue(header.getCell(index).value);
    let name =
      raw === null || raw === undefined || raw === ''
        ? `column_${index}`
        : (typeof raw === 'string' ? raw : JSON.stringify(raw)).trim();
    for (let suffix = 2; seen.has(name); suffix += 1) name = `${name}_${suffix}`;
    seen.add(name);
    names.push(name);
  }
  return names;
}

function sheetColumns(sheet: ExcelJS.Worksheet): DiscoveredColumn[] {
  const names = sheetHeader(sheet);
  const inferences = names.map(() => new ColumnInference());
  const last = Math.min(sheet.rowCount, SAMPLE_ROWS + 1);
  for (let rowNumber = 2; rowNumber <= last; rowNumber += 1) {
    const row = sheet.getRow(rowNumber);
    inferences.forEach((inference, index) => {
      inference.add(cellValue(row.getCell(index + 1).value));
    });
  }
  return inferences.map((inference, index) => inference.result(names[index] ?? `column_${index + 1}`));
}
