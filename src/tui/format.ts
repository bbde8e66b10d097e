// Small number and text formatters shared by the story and training screens.

/** 1234 -> "1.2k", 3_400_000 -> "3.4M": parameter and throughput counts read at a glance. */
export function compactNumber(n: number): string {
  const abs = Math.abs(n);
  if (abs >= 1e9) return `${trim(n / 1e9)}G`;
  if (abs >= 1e6) return `${trim(n / 1e6)}M`;
  if (abs >= 1e3) return `${trim(n / 1e3)}k`;
  return String(Math.round(n));
}

function trim(x: number): string {
  return x >= 100 ? x.toFixed(0) : x.toFixed(1).replace(/\.0$/, '');
}

/** Seconds as "45s", "3m20s", "1h05m". */
export function duration(sec: number): string {
  if (!Number.isFinite(sec) || sec < 0) return '?';
  const s = Math.round(sec);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** Replaces characters that would break the terminal layout (tabs, carriage returns, other controls). */
export function printable(text: string): string {
  return text.replace(/\t/g, ' ').replace(/\r/g, '').replace(/[\x00-\x09\x0b-\x1f\x7f]/g, '·');
}
