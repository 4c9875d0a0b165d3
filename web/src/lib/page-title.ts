import { useEffect } from "react";

/** Sets the browser tab's title (and what screen readers announce on navigation) to "<title> · Switchboard". */
export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · Switchboard`;
  }, [title]);
}
