// The key ring lives in the storage package, so the migrator reads the same keys
// (CONNECTOR_ENCRYPTION_KEYS, or the development key file in DATA_DIR).
export {
  DEV_KEY_FILE_NAME,
  KEY_BYTES,
  loadDevelopmentKey,
  parseKeyRing,
  type DevelopmentKey,
  type EncryptionKey,
  type KeyRing,
} from '@analytics-engine/storage';
