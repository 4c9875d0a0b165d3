/**
 * Where to send someone after logging in: a path inside the dashboard, never another site
 * (`//evil.test`, `https://...`) nor the log-in or sign-up pages themselves.
 */
export function safeRedirect(target: unknown, fallback = "/"): string {
  if (typeof target !== "string" || !target.startsWith("/") || target.startsWith("//") || target.startsWith("/\\")) return fallback;
  if (/^\/(login|signup)(?=[/?#]|$)/.test(target)) return fallback;
  return target;
}
