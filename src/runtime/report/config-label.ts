// Names a sweep configuration. Takes a config record ({dim: 64, lr: 0.01}); gives "dim=64 lr=0.01"
// in the record's key order (the sweep's own order), or "default" for an empty record.

export function configLabel(config: Record<string, string | number>): string {
  const parts = Object.entries(config).map(([key, value]) => `${key}=${value}`);
  return parts.length === 0 ? "default" : parts.join(" ");
}
