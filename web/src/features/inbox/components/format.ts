/** "14:05" today, "Mon 14:05" this week, else "3 Mar" (the viewer's locale and time zone). */
export function shortTime(iso: string, now = new Date()): string {
  const at = new Date(iso);
  const sameDay = at.toDateString() === now.toDateString();
  if (sameDay) return at.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
  if (now.getTime() - at.getTime() < 6 * 86_400_000) return at.toLocaleString(undefined, { weekday: "short", hour: "2-digit", minute: "2-digit" });
  return at.toLocaleDateString(undefined, { day: "numeric", month: "short" });
}
