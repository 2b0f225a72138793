import { types } from 'pg';
import { apiPgTypes, parseTextArray, timestamptzToIso } from './pg-types';

const asDate = (text: string) => (types.getTypeParser(1184)(text) as Date).toJSON();

describe('timestamptz as ISO text', () => {
  it.each([
    '2026-11-27 13:57:46.123456+00',
    '2026-11-27 13:57:46.999999+00',
    '2026-11-27 13:57:46.5+00',
    '2026-11-27 13:57:46.05+00',
    '2026-11-27 13:57:46+00',
    '2026-01-01 00:00:00.000001+00',
    '0999-01-01 00:00:00.500000+00',
    '2026-11-27 13:57:46.123456+01',
    '2026-11-27 13:57:46.123456+05:30',
    '2026-11-27 13:57:46-08',
    '1999-12-31 23:59:59.9999+01:00:30',
  ])('%s reads exactly as the Date pg would have made', (text) => {
    expect(timestamptzToIso(text)).toBe(asDate(text));
  });

  it('keeps infinity as PostgreSQL wrote it', () => {
    expect(timestamptzToIso('infinity')).toBe('infinity');
    expect(timestamptzToIso('-infinity')).toBe('-infinity');
  });
});

describe('text[] split at its commas', () => {
  // pg's typings name only the base types' OIDs
  type ParserOf = (oid: number, format?: 'text' | 'binary') => (text: string) => unknown;
  const pgParserOf = types.getTypeParser as ParserOf;
  const apiParserOf = apiPgTypes.getTypeParser as ParserOf;
  const pgParser = pgParserOf(1009);
  it.each([
    '{}',
    '{vip}',
    '{vip,renewal}',
    '{spring-campaign,smb,web}',
    '{NULL}',
    '{a,NULL,b}',
    '{"NULL"}',
    '{null,Null}',
    '{"a b","c,d"}',
    '{"",x}',
    '{"say \\"hi\\"",back\\\\slash}',
    '{{a,b},{c,d}}',
    '[1:2]={a,b}',
    '{é,日本,🙂}',
    '{a,,b}',
  ])('%s reads exactly as pg reads it', (text) => {
    expect(parseTextArray(text)).toEqual(pgParser(text));
  });

  it('is what the pools read text[] and varchar[] with, in text format only', () => {
    expect(apiParserOf(1009)).toBe(parseTextArray);
    expect(apiParserOf(1015)).toBe(parseTextArray);
    expect(apiParserOf(1009, 'binary')).toBe(pgParserOf(1009, 'binary'));
    expect(apiParserOf(2951)).toBe(pgParserOf(2951));
  });
});
