import { useEffect, useState } from "react";

export type SupportSessionState = { id: string; reason: string; startedAt: string; expiresAt: string };

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
