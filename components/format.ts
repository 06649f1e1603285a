/** Sizes as docker prints them: binary units with one decimal. */
export function formatBytes(bytes: number | undefined | null): string {
  if (bytes === undefined || bytes === null || !Number.isFinite(bytes) || bytes < 0) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

/** Sizes as `docker stats` prints network and block I/O: decimal units. */
export function formatDecimalBytes(bytes: number | undefined): string {
  if (bytes === undefined || !Number.isFinite(bytes)) return '—';
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value.toFixed(unit === 0 ? 0 : value < 10 ? 2 : 1)}${units[unit]}`;
}

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

/** "3 minutes ago" for a time in unix seconds or milliseconds or an ISO string. */
export function formatAgo(time: number | string | undefined): string {
  const ms = toMs(time);
  if (ms === undefined) return '—';
  const seconds = Math.round((ms - Date.now()) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 60) return relative.format(seconds, 'second');
  if (abs < 3600) return relative.format(Math.round(seconds / 60), 'minute');
  if (abs < 86400) return relative.format(Math.round(seconds / 3600), 'hour');
  if (abs < 86400 * 60) return relative.format(Math.round(seconds / 86400), 'day');
  return relative.format(Math.round(seconds / (86400 * 30)), 'month');
}

export function formatDate(time: number | string | undefined): string {
  const ms = toMs(time);
  if (ms === undefined) return '—';
  return new Date(ms).toLocaleString();
}

function toMs(time: number | string | undefined): number | undefined {
  if (time === undefined || time === '' || time === 0) return undefined;
  if (typeof time === 'number') return time < 1e12 ? time * 1000 : time;
  const ms = Date.parse(time);
  // Docker's zero time ("0001-01-01T00:00:00Z") means "never".
  return Number.isNaN(ms) || ms < 0 ? undefined : ms;
}

export function shortId(id: string): string {
  return id.replace(/^sha256:/, '').slice(0, 12);
}

export function formatPercent(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value) ? '—' : `${value.toFixed(2)}%`;
}
