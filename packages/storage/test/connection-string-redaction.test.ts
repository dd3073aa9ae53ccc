// What a response may show of a connection string.
import { describe, expect, it } from 'vitest';
import { redactConnectionString } from '../src/secrets/connection-string-redaction.js';

describe('redactConnectionString', () => {
  it.each([
    ['Server=localhost;Database=test;', 'Server=localhost;Database=test;'],
    ['postgres://app:s3cret@db:5432/sales', 'postgres://app:***@db:5432/sales'],
    ['postgresql://app@db/sales', 'postgresql://app@db/sales'],
    ['https://api.example.com/v1?key=1', 'https://api.example.com/v1?key=1'],
    ['mysql://u:p@ss/w?rd@db/x', 'mysql://u:***@db/x'],
    ['mongodb+srv://:only-pass@cluster0/x', 'mongodb+srv://:***@cluster0/x'],
    ['Server=db;User Id=sa;Password=Hunter2!;Encrypt=true', 'Server=db;User Id=sa;Password=***;Encrypt=true'],
    ['server=db;PWD=abc def;uid=x', 'server=db;PWD=***;uid=x'],
    ['Driver={ODBC};Pwd={a;b}}c};Server=x', 'Driver={ODBC};Pwd=***;Server=x'],
    ['Data Source=x;password="a;""b";Initial Catalog=y', 'Data Source=x;password=***;Initial Catalog=y'],
    ["Data Source=x;Password='a;b';", 'Data Source=x;Password=***;'],
    ['host=db user=app password=secret dbname=x', 'host=db user=app password=*** dbname=x'],
    ["host=db password='se cret' dbname=x", 'host=db password=*** dbname=x'],
    [
      'jdbc:postgresql://db/x?user=app&password=secret&ssl=true',
      'jdbc:postgresql://db/x?user=app&password=***&ssl=true',
    ],
    ['Server=x;Password = spaced ;Db=y', 'Server=x;Password = ***;Db=y'],
    ['Server=x;Pwd={unterminated;Db=y', 'Server=x;Pwd=***'],
    ['Server=x;PassWord=a;pwd=b', 'Server=x;PassWord=***;pwd=***'],
  ])('%s', (input, expected) => {
    expect(redactConnectionString(input)).toBe(expected);
  });
});
