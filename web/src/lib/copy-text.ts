/**
 * Copies `text`: the Clipboard API where the page may use it, else the older selection-and-execCommand
 * way (pages served over plain HTTP, browsers that refuse the permission). Resolves whether it worked.
 */
export async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // Refused (no permission, not a secure context): try the fallback.
  }
  const scratch = document.createElement("textarea");
  scratch.value = text;
  scratch.setAttribute("readonly", "");
  scratch.style.position = "fixed";
  scratch.style.opacity = "0";
  const focused = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  // Inside an open dialog, so its focus trap does not pull focus away from the text being copied.
  (focused?.closest("[role=dialog]") ?? document.body).append(scratch);
  scratch.select();
  let copied: boolean;
  try {
    copied = document.execCommand("copy");
  } catch {
    copied = false;
  }
  scratch.remove();
  focused?.focus();
  return copied;
}
