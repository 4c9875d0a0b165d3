import { useEffect, useState } from "react";

export type SupportSession = { id: string; reason: string; startedAt: string; expiresAt: string };
/**
 * `endsAt`: when it ends by this browser's clock (its length from the server, counted from when it was
 * started here), so a clock that differs from the server's does not shift the time left.
 */
export type SupportSessionState = SupportSession & { endsAt: number };

export const sessionStateOf = (session: SupportSession): SupportSessionState => ({
  ...session,
  endsAt: Date.now() + (Date.parse(session.expiresAt) - Date.parse(session.startedAt)),
});

const KEY = "switchboard.supportSession";

/** The live support session, kept for this browser tab (sessionStorage) so a reload keeps it. */
export function useStoredSupportSession(): [SupportSessionState | null, (session: SupportSessionState | null) => void] {
  const [session, setSession] = useState<SupportSessionState | null>(() => {
    try {
      const stored = sessionStorage.getItem(KEY);
      return stored ? (JSON.parse(stored) as SupportSessionState) : null;
    } catch {
      return null;
    }
  });
  useEffect(() => {
    if (session) sessionStorage.setItem(KEY, JSON.stringify(session));
    else sessionStorage.removeItem(KEY);
  }, [session]);
  return [session, setSession];
}

/** The time now, updated every `everyMs` (for the session's remaining time). */
export function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

/** Whole minutes left (rounded up), never more than the session lasts: `now` may be a little behind. */
export function minutesLeft(session: SupportSessionState, now: number): number {
  const length = Math.round((Date.parse(session.expiresAt) - Date.parse(session.startedAt)) / 60_000);
  return Math.max(0, Math.min(length, Math.ceil((session.endsAt - now) / 60_000)));
}
