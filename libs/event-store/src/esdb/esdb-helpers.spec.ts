import { describeEsdb } from './describe-esdb';
import { serverFilter } from './esdb-event-mapping';

describe('describeEsdb', () => {
  it('names the hosts without credentials or options', () => {
    expect(describeEsdb('esdb://admin:changeit@a:2113,b:2114,c?tls=false&nodePreference=leader')).toBe('a:2113,b:2114,c:2113');
    expect(describeEsdb('esdb+discover://cluster.example.com:2113?tls=true')).toBe('cluster.example.com:2113');
    expect(describeEsdb('http://nope')).toBe('(unparseable EVENTSTORE_CONNECTION_STRING)');
  });
});

describe('serverFilter', () => {
  it('filters on stream prefixes when given, else on types, else leaves out $-streams', () => {
    expect(serverFilter({ streamPrefixes: ['jurisdiction-'], types: ['LetterSent'] })).toEqual({ on: 'stream', prefixes: ['jurisdiction-'] });
    expect(serverFilter({ types: ['LetterSent', 'A.B'] })).toEqual({ on: 'type', regex: '^(?:LetterSent|A\\.B)$' });
    expect(serverFilter({})).toEqual({ on: 'stream', regex: '^[^$]' });
    expect(serverFilter({ streamPrefixes: [''] })).toEqual({ on: 'stream', regex: '^[^$]' });
    const none = serverFilter({ streamPrefixes: ['$ledger-'] });
    expect(new RegExp(none.regex!).test('$ledger-eid-x')).toBe(false);
    expect(new RegExp('^[^$]').test('$ledger-eid-1')).toBe(false);
    expect(new RegExp('^[^$]').test('jurisdiction-chicago-il')).toBe(true);
  });
});
