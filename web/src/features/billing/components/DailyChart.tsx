import { useId } from "react";
import { niceScale, type ChartDay } from "../chart-data.ts";
import { formatCount, formatMonth } from "./format.ts";

const WIDTH = 720;
const HEIGHT = 220;
const PAD = { top: 10, right: 8, bottom: 24, left: 40 };

/**
 * Sent and received per day as grouped bars, drawn as SVG: no chart library (nothing to download but
 * these lines, in the billing route's own chunk). The picture has a one-line summary for screen
 * readers, and the same numbers are a table under it.
 */
export function DailyChart({ month, days }: { month: string; days: ChartDay[] }) {
  const id = useId();
  const max = Math.max(0, ...days.map((day) => Math.max(day.sent, day.received)));
  const { top, ticks } = niceScale(max);
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const slot = plotWidth / days.length;
  const bar = Math.max(1, slot * 0.38);
  const y = (value: number) => PAD.top + plotHeight - (value / top) * plotHeight;
  const totals = days.reduce((sum, day) => ({ sent: sum.sent + day.sent, received: sum.received + day.received }), { sent: 0, received: 0 });
  const busiest = days.reduce((best, day) => (day.sent + day.received > best.sent + best.received ? day : best), days[0]!);

  return (
    <figure className="space-y-3">
      <figcaption id={`${id}-caption`} className="text-sm text-zinc-700">
        Messages per day in {formatMonth(month)} (UTC)
      </figcaption>
      <div className="flex gap-4 text-xs text-zinc-700" aria-hidden="true">
        <span className="inline-flex items-center gap-1.5">
          <span className="size-3 rounded-sm bg-emerald-700" /> Sent
        </span>
        <span className="inline-flex items-center gap-1.5">
          <span className="size-3 rounded-sm bg-sky-400" /> Received
        </span>
      </div>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} className="h-auto w-full" role="img" aria-labelledby={`${id}-caption ${id}-summary`}>
        <desc id={`${id}-summary`}>
          {`${formatCount(totals.sent)} sent and ${formatCount(totals.received)} received in ${days.length} days`}
          {totals.sent + totals.received > 0 ? `; the busiest day was ${busiest.date}.` : "."}
        </desc>
        {ticks.map((tick) => (
          <g key={tick}>
            <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(tick)} y2={y(tick)} className="stroke-zinc-200" />
            <text x={PAD.left - 6} y={y(tick) + 4} textAnchor="end" className="fill-zinc-600 text-[11px]">
              {formatCount(tick)}
            </text>
          </g>
        ))}
        {days.map((day, index) => {
          const x = PAD.left + index * slot + (slot - 2 * bar) / 2;
          return (
            <g key={day.date}>
              <rect x={x} y={y(day.sent)} width={bar} height={Math.max(0, y(0) - y(day.sent))} className="fill-emerald-700" />
              <rect x={x + bar} y={y(day.received)} width={bar} height={Math.max(0, y(0) - y(day.received))} className="fill-sky-400" />
              {(day.day === 1 || day.day % 5 === 0) && (
                <text x={PAD.left + index * slot + slot / 2} y={HEIGHT - 6} textAnchor="middle" className="fill-zinc-600 text-[11px]">
                  {day.day}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <details className="text-sm">
        <summary className="cursor-pointer font-medium text-emerald-900">Show the numbers as a table</summary>
        {/* Scrolls: focusable so keyboard users can scroll it too. */}
        <div className="mt-2 max-h-80 overflow-auto" tabIndex={0} role="region" aria-label="Messages per day">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Messages per day in {formatMonth(month)} (UTC)</caption>
            <thead>
              <tr className="border-b border-zinc-200 text-xs text-zinc-600 uppercase">
                <th scope="col" className="py-1 pr-4">
                  Date
                </th>
                <th scope="col" className="py-1 pr-4 text-right">
                  Sent
                </th>
                <th scope="col" className="py-1 text-right">
                  Received
                </th>
              </tr>
            </thead>
            <tbody>
              {days.map((day) => (
                <tr key={day.date} className="border-b border-zinc-100">
                  <th scope="row" className="py-1 pr-4 font-normal tabular-nums">
                    {day.date}
                  </th>
                  <td className="py-1 pr-4 text-right tabular-nums">{formatCount(day.sent)}</td>
                  <td className="py-1 text-right tabular-nums">{formatCount(day.received)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
