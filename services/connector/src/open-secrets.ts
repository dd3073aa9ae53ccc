// A stored profile's secrets opened for a driver (test, discover, preview): never
// returned or logged. A secret no key opens makes the profile unusable, said in
// a message that names the field only.
import type { ConnectorProfile, StoredDocument } from '@analytics-engine/storage';
import { ConnectionTestError } from './connection-test/errors.js';
import type { ProbeInput } from './connection-test/probe.js';
import type { SecretBox, SecretField } from './secret-box.js';

export function openSecrets(
  box: SecretBox,
  stored: StoredDocument<ConnectorProfile>,
): { input: ProbeInput; unusable?: ConnectionTestError } {
  const { connection_string, credentials } = stored.data;
  let unusable: ConnectionTestError | undefined;
  const open = (value: string | undefined, field: SecretField) => {
    if (value === undefined) return undefined;
    const opened = box.open(value, stored.key, field);
    if (opened.ok) return opened.plaintext;
    unusable ??= new ConnectionTestError(
      'invalid_config',
      `the stored ${field} cannot be opened (${opened.reason}); write it again`,
    );
    return undefined;
  };
  const input: ProbeInput = {
    connectionString: open(connection_string, 'connection_string'),
    username: credentials?.username,
    password: open(credentials?.password, 'credentials.password'),
  };
  return unusable ? { input, unusable } : { input };
}
