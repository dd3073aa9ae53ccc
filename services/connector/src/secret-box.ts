// The sealing primitives live in the storage package, so the migrator seals the
// plaintext secrets of an adopted Python-era database with the Connector's key.
export {
  createSecretBox,
  isSealed,
  type Opened,
  type SecretBox,
  type SecretField,
  type UnreadableReason,
} from '@analytics-engine/storage';
