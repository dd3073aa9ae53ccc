// Source databases for the discover and preview suites: every normalised type,
// a composite primary key, a view, a 1M-row table made server-side, a victim
// table for the injection attempts and tables whose names hold quotes.
import { randomBytes } from 'node:crypto';
import { withClient } from '@analytics-engine/storage/testing';
import { MARIADB, scratchPostgres, withMaria } from './source-databases.js';

export const MILLION = 1_000_000;
/** A value no log line may ever hold: previews read it. */
export const ROW_MARKER = `row-content-${randomBytes(4).toString('hex')}`;

export interface SqlFixture {
  readonly url: string;
  /** Runs SQL on the source as its owner (tests compare the database before and after). */
  query(text: string): Promise<Record<string, unknown>[]>;
  drop(): Promise<void>;
}

export async function richPostgres(): Promise<SqlFixture> {
  const source = await scratchPostgres(`
    create schema shop;
    create table shop.order_lines (
      order_id integer, line_no smallint, sku text not null, qty bigint, price numeric(10,2), ratio double precision,
      shipped boolean, ordered_on date, created_at timestamptz, local_at timestamp, attrs jsonb, raw json, blob bytea,
      tags text[], span interval, ref uuid, primary key (order_id, line_no));
    insert into shop.order_lines values
      (1, 1, '${ROW_MARKER}', 9007199254740993, 12.50, 0.25, true, '2024-01-02', '2024-01-02 10:00:00+00',
       '2024-01-02 10:00:00', '{"colour": "red"}', '[1, 2]', '\\x00ff10', '{a,b}', '1 day', \
'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'),
      (1, 2, repeat('é', 5000), null, null, null, false, null, null, null,
       ('{"long": "' || repeat('x', 10000) || '"}')::jsonb, null, decode(repeat('ab', 10000), 'hex'), null, null, null),
      (2, 1, 'third', 3, 3, 3, null, '2024-03-04', null, null, null, null, null, null, null, null);
    create view shop.shipped_lines as select order_id, line_no, sku from shop.order_lines where shipped;
    create table shop.big (id bigint primary key, label text not null);
    insert into shop.big select g, 'row ' || g from generate_series(1, ${MILLION}) g;
    analyze shop.big;
    create table public.victim (id integer primary key, note text);
    insert into public.victim values (1, 'one'), (2, 'two'), (3, 'three');
    create table public."weird ""name""; drop table public.victim; --" (id integer);
    insert into public."weird ""name""; drop table public.victim; --" values (7);
  `);
  return {
    url: source.url,
    query: (text) =>
      withClient(source.url, async (owner) => (await owner.query(text)).rows as Record<string, unknown>[]),
    drop: () => source.drop(),
  };
}

export async function richMaria(): Promise<SqlFixture> {
  const database = `pv_${randomBytes(3).toString('hex')}`;
  await withMaria(
    (root) =>
      root.query(`create database ${database}; use ${database};
      create table order_lines (
        order_id int, line_no smallint, sku varchar(100) not null, qty bigint, price decimal(10,2), ratio double,
        shipped boolean, ordered_on date, created_at datetime, attrs json, payload longblob, note longtext, at_time \
time,
        primary key (order_id, line_no));
      insert into order_lines values
        (1, 1, '${ROW_MARKER}', 42, 12.50, 0.25, true, '2024-01-02', '2024-01-02 10:00:00', '{"colour": "red"}',
         x'00ff10', 'short', '10:30:00'),
        (1, 2, 'second', null, null, null, false, null, null, null, repeat('a', 10000), repeat('é', 5000), null);
      create view shipped_lines as select order_id, sku from order_lines where shipped;
      create table big (id int primary key, label varchar(30) not null);
      set session max_recursive_iterations = ${MILLION + 1};
      insert into big (id, label)
        with recursive seq(n) as (select 1 union all select n + 1 from seq where n < ${MILLION})
        select n, concat('row ', n) from seq;
      analyze table big;
      create table victim (id int primary key, note varchar(20));
      insert into victim values (1, 'one'), (2, 'two'), (3, 'three');
      create table \`we\`\`ird; drop table victim; --\` (id int);
      insert into \`we\`\`ird; drop table victim; --\` values (7);`),
    { multipleStatements: true },
  );
  return {
    url: `mysql://root@127.0.0.1:${MARIADB.port}/${database}`,
    query: (text) =>
      withMaria(async (owner) => (await owner.query(text))[0] as Record<string, unknown>[], { database }),
    drop: () =>
      withMaria(async (admin) => {
        await admin.query(`drop database if exists ${database}`);
      }),
  };
}
