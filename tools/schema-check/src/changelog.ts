/**
 * What CHANGELOG.md lists as breaking: every `backticked` span under a "### Breaking" heading, in any
 * release's section ("## Unreleased" or "## 1.2.0"). A breaking schema change counts as listed when its
 * path (`Usage.planPrice`, `Query.messages.first`, `MessageStatus.QUEUED`) is one of them, exactly.
 */
export function listedBreakingChanges(changelog: string): Set<string> {
  const listed = new Set<string>();
  let inBreaking = false;
  let inFence = false;
  for (const line of changelog.split(/\r?\n/)) {
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    if (inFence) continue;
    const heading = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      // A deeper heading (#### ...) stays inside the Breaking section; ##, ### or # end it.
      if (heading[1]!.length <= 3) inBreaking = heading[1]!.length === 3 && /^breaking\b/i.test(heading[2]!);
      continue;
    }
    if (!inBreaking) continue;
    for (const match of line.matchAll(/`([^`]+)`/g)) listed.add(match[1]!.trim());
  }
  return listed;
}
