// PostgreSQL's WAL positions ("16/B374D848": two 32-bit halves in hex) as
// numbers that compare, and back. A consistency token is one of these.

const LSN = /^([0-9A-F]{1,8})\/([0-9A-F]{1,8})$/i;

/** undefined when `text` is not an LSN. */
export function parseLsn(text: string | undefined): bigint | undefined {
  const match = text === undefined ? null : LSN.exec(text.trim());
  if (!match?.[1] || !match[2]) return undefined;
  return (BigInt(`0x${match[1]}`) << 32n) | BigInt(`0x${match[2]}`);
}

export function formatLsn(lsn: bigint): string {
  return `${(lsn >> 32n).toString(16).toUpperCase()}/${(lsn & 0xffffffffn).toString(16).toUpperCase()}`;
}
