/** Time as the work engine sees it; tests drive a manual clock instead of sleeping. */
export type Timer = { cancel(): void };

export type Clock = {
  /** Milliseconds on a monotonic scale (not wall time). */
  now(): number;
  /** Runs `work` after `ms`; the timer does not keep the process alive. */
  after(ms: number, work: () => void): Timer;
};

export const systemClock: Clock = {
  now: () => performance.now(),
  after(ms, work) {
    const timer = setTimeout(work, ms);
    timer.unref();
    return { cancel: () => clearTimeout(timer) };
  },
};
