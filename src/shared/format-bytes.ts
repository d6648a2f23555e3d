// How a size is written, in the UI and in browser mode's log alike.

/** A size as files are shown, in powers of 1000: 740 B · 2.3 kB · 1.7 MB · 412 MB · 1.9 GB. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  if (bytes < 1e3) return `${Math.round(bytes)} B`;
  const [unit, scale] = bytes >= 1e9 ? ['GB', 1e9] : bytes >= 1e6 ? ['MB', 1e6] : ['kB', 1e3];
  const x = bytes / scale;
  return `${x >= 100 ? Math.round(x) : x.toFixed(1)} ${unit}`;
}
