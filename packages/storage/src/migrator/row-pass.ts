// Every row of the three tables brought to the current shape and every
// plaintext secret sealed: adoption runs it once, `pnpm migrate seal-secrets`
// for the profiles other writers left in plaintext since. Rows go in batches in
// key order, each batch its own transaction holding its rows FOR UPDATE, so an
// interrupted pass keeps what it did and the next one, finding those rows in
// the current shape, writes only what is left. updated_at is left alone: the
// documents mean what they meant.
import { sql, type Kysely } from 'kysely';
import type { z } from 'zod';
import { currentShape } from '../legacy/current-shape.js';
import { clientConfigsTable } from '../repositories/client-configs.js';
import { connectorProfilesTable } from '../repositories/connector-profiles.js';
import type { DocumentTableSpec } from '../repositories/document-repository.js';
import type { JsonObject } from '../repositories/json-merge-patch.js';
import { serviceProposalsTable } from '../repositories/service-proposals.js';
import { clientConfigSchema } from '../schemas/client-config.js';
import { connectorProfileSchema } from '../schemas/connector-profile.js';
import { serviceProposalSchema } from '../schemas/service-proposal.js';
import { holdsPlaintextSecret, plaintextSecretsOf, sealPlaintextSecrets } from '../secrets/plaintext-secrets.js';
import type { SecretBox } from '../secrets/secret-box.js';
import type { Sealer } from './sealing-keys.js';

export const DEFAULT_BATCH_SIZE = 1_000;
/** A batch also stops at this many bytes of stored documents, so large documents never make a huge one. */
const MAX_BATCH_BYTES = 16 * 1024 * 1024;
/** At most one progress line per table this often, besides its last. */
const PROGRESS_EVERY_MS = 2_000;

interface PassTable {
  readonly spec: DocumentTableSpec;
  readonly schema: z.ZodType;
  readonly holdsSecrets: boolean;
}

export const passTables: readonly PassTable[] = [
  { spec: connectorProfilesTable, schema: connectorProfileSchema, holdsSecrets: true },
  { spec: clientConfigsTable, schema: clientConfigSchema, holdsSecrets: false },
  { spec: serviceProposalsTable, schema: serviceProposalSchema, holdsSecrets: false },
];

export interface RowPassOptions {
  readonly sealWith: Sealer;
  readonly batchSize?: number | undefined;
  readonly log?: ((line: string) => void) | undefined;
  /** Count what would change; write nothing, need no key. */
  readonly dryRun?: boolean;
  /** seal-secrets: only the profiles that hold a plaintext secret. */
  readonly plaintextOnly?: boolean;
}

export interface TableTally {
  readonly table: string;
  /** Rows looked at. */
  readonly rows: number;
  /** Rows stored in the current shape by this pass (or that would be). */
  readonly mapped: number;
  /** Secrets sealed (or that would be). */
  readonly sealed: number;
  /** Rows still lacking members every write needs (reads name them in needs_completion). */
  readonly incomplete: number;
}

interface Row {
  key: string;
  data: unknown;
}

export async function passOverRows(conn: Kysely<any>, options: RowPassOptions): Promise<TableTally[]> {
  const tables = options.plaintextOnly ? passTables.filter((table) => table.holdsSecrets) : passTables;
  const tallies: TableTally[] = [];
  for (const table of tables) tallies.push(await passOverTable(conn, table, options));
  return tallies;
}

async function passOverTable(
  conn: Kysely<any>,
  { spec, schema, holdsSecrets }: PassTable,
  options: RowPassOptions,
): Promise<TableTally> {
  const { table, keyColumn, dataColumn } = spec;
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const filter = options.plaintextOnly ? holdsPlaintextSecret(dataColumn) : sql`true`;
  const total = Number(
    (await sql<{ n: string }>`select count(*) as n from ${sql.table(table)} where ${filter}`.execute(conn)).rows[0]
      ?.n ?? 0,
  );
  const tally = { table, rows: 0, mapped: 0, sealed: 0, incomplete: 0 };
  let box: SecretBox | undefined;
  let after: string | undefined;
  let lastProgress = Date.now();

  /** One batch; true when no row is left. */
  const batch = async (executor: Kysely<any>): Promise<boolean> => {
    const key = sql.ref(keyColumn);
    const data = sql.ref(dataColumn);
    // The next keys, as many as batchSize and MAX_BATCH_BYTES of stored documents allow (always one at least).
    const next = sql`
      select ${key} from (
        select ${key}, sum(pg_column_size(${data})) over (order by ${key}) - pg_column_size(${data}) as before
        from ${sql.table(table)}
        where ${filter} and ${after === undefined ? sql`true` : sql`${key} > ${after}`}
        order by ${key} limit ${batchSize}) as batch
      where before < ${MAX_BATCH_BYTES}`;
    const rows = (
      await sql<Row>`
        select ${key} as key, ${data} as data from ${sql.table(table)}
        where ${key} in (${next}) order by ${key}
        ${options.dryRun ? sql`` : sql`for update`}`.execute(executor)
    ).rows;
    const updates: { key: string; data: JsonObject }[] = [];
    for (const row of rows) {
      const shape = currentShape(schema, spec.fromPython, row.key, row.data);
      let document = shape.document;
      let sealed = 0;
      if (holdsSecrets) {
        const plaintext = plaintextSecretsOf(document).length;
        if (plaintext > 0 && options.dryRun) sealed = plaintext;
        else if (plaintext > 0)
          ({ document, sealed } = sealPlaintextSecrets(document, row.key, (box ??= await options.sealWith())));
      }
      if (shape.changed) tally.mapped += 1;
      if (shape.needsCompletion.length > 0) tally.incomplete += 1;
      tally.sealed += sealed;
      if (shape.changed || sealed > 0) updates.push({ key: row.key, data: document });
    }
    if (updates.length > 0 && !options.dryRun) {
      await sql`
        update ${sql.table(table)} as t set ${sql.ref(dataColumn)} = v.data
        from jsonb_to_recordset(${JSON.stringify(updates)}::jsonb) as v(key text, data jsonb)
        where t.${sql.ref(keyColumn)} = v.key`.execute(executor);
    }
    tally.rows += rows.length;
    after = rows.at(-1)?.key ?? after;
    if (rows.length > 0) return false;
    // None locked: the end, unless every row picked was deleted meanwhile (FOR UPDATE skips those).
    const more = await sql<{ more: boolean }>`select exists (select 1 from ${sql.table(table)}
      where ${filter} and ${after === undefined ? sql`true` : sql`${key} > ${after}`}) as more`.execute(executor);
    return more.rows[0]?.more !== true;
  };

  for (;;) {
    const done = options.dryRun ? await batch(conn) : await conn.transaction().execute(batch);
    if (done || Date.now() - lastProgress >= PROGRESS_EVERY_MS) {
      lastProgress = Date.now();
      options.log?.(progressLine(tally, total, options.dryRun === true));
    }
    if (done) return tally;
  }
}

function progressLine(tally: TableTally, total: number, dryRun: boolean): string {
  const share = total === 0 ? 100 : Math.floor((tally.rows / Math.max(total, tally.rows)) * 100);
  const [mapped, sealed] = dryRun ? ['would map', 'would seal'] : ['mapped', 'sealed'];
  return (
    `${tally.table}: ${tally.rows} of ${Math.max(total, tally.rows)} rows (${share}%), ` +
    `${mapped} ${tally.mapped} to the current shape, ` +
    `${sealed} ${tally.sealed} plaintext secret(s), ${tally.incomplete} need completion`
  );
}
