// How figures and dates read on the page (GOV.UK style: "22 November 2026", one decimal for rates).
import type { Cell } from './types.ts';

const DATE = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
const SHORT_DATE = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
const TIME = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
const COUNT = new Intl.NumberFormat('en-GB');

/** '2026-11-22' -> '22 November 2026'. */
export function longDate(isoDate: string): string {
  return DATE.format(new Date(`${isoDate}T00:00:00Z`));
}

/** '2026-11-22' -> '22 Nov'. */
export function shortDate(isoDate: string): string {
  return SHORT_DATE.format(new Date(`${isoDate}T00:00:00Z`));
}

export function clockTime(date: Date): string {
  return TIME.format(date);
}

export function formatCount(value: number): string {
  return COUNT.format(value);
}

export function formatRate(value: number): string {
  return value.toFixed(1);
}

/** A numeric cell as a number, or null when it is missing or a symbol ("c", "z", "x"). */
export function numeric(cell: Cell | undefined): number | null {
  return typeof cell === 'number' && Number.isFinite(cell) ? cell : null;
}

/** Escapes text for the charts' HTML tooltips. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
