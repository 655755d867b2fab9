/**
 * The host list of a connection string, without scheme, credentials or options, for
 * messages and logs: `esdb://admin:changeit@a:2113,b:2113?tls=false` → `a:2113,b:2113`.
 */
export function describeEsdb(connectionString: string): string {
  const match = /^esdb(?:\+discover)?:\/\/(?:[^@/?]*@)?([^/?]*)/i.exec(connectionString.trim());
  if (!match || !match[1]) return '(unparseable EVENTSTORE_CONNECTION_STRING)';
  return match[1]
    .split(',')
    .map((host) => (/:\d+$/.test(host) || host.startsWith('[') ? host : `${host}:2113`))
    .join(',');
}
