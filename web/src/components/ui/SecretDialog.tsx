import { useEffect, useId, useRef, useState, type ReactNode } from "react";
import { copyText } from "../../lib/copy-text.ts";
import { Button } from "./Button.tsx";
import { Dialog, DialogContent } from "./Dialog.tsx";
import { toast } from "./Toast.tsx";

type SecretDialogProps = {
  /** The secret to show; null keeps the dialog closed. */
  secret: string | null;
  title: string;
  description: string;
  /** Why this is the only time it is shown, and what to do if it is lost. */
  warning: ReactNode;
  /** What the secret is called in the texts: "key", "secret". */
  noun: string;
  /** The secret field's label ("Secret key", "Signing secret"). */
  label: string;
  onClose: () => void;
};

/**
 * A secret shown this once, with a copy button. Closing it (the button, Escape, a click outside) before
 * the secret was copied asks first: nobody can show it again.
 */
export function SecretDialog({ secret, title, description, warning, noun, label, onClose }: SecretDialogProps) {
  const [copied, setCopied] = useState(false);
  const [copyFailed, setCopyFailed] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const ids = useId();
  const wasConfirming = useRef(false);

  // The button pressed is replaced by the question (and back): focus follows, rather than falling to the page.
  useEffect(() => {
    if (confirming) document.getElementById(`${ids}-keep-open`)?.focus();
    else if (wasConfirming.current) document.getElementById(`${ids}-copy`)?.focus();
    wasConfirming.current = confirming;
  }, [confirming, ids]);

  const close = () => {
    setCopied(false);
    setCopyFailed(false);
    setConfirming(false);
    onClose();
  };
  const requestClose = () => (copied ? close() : setConfirming(true));

  const copy = async () => {
    if (secret === null) return;
    const ok = await copyText(secret);
    setCopied(ok);
    setCopyFailed(!ok);
    if (ok) {
      setConfirming(false);
      toast("Copied", `The ${noun} is on your clipboard.`);
    }
  };

  return (
    <Dialog open={secret !== null} onOpenChange={(open) => !open && requestClose()}>
      {secret !== null && (
        <DialogContent title={title} description={description}>
          <p role="note" className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950">
            {warning}
          </p>
          <label htmlFor={`${ids}-secret`} className="mt-4 block text-sm font-medium text-zinc-900">
            {label}
          </label>
          <div className="mt-1.5 flex flex-col gap-2 sm:flex-row">
            <input
              id={`${ids}-secret`}
              readOnly
              value={secret}
              onFocus={(event) => event.currentTarget.select()}
              className="block h-10 w-full min-w-0 rounded-md border border-zinc-300 bg-zinc-50 px-3 font-mono text-sm text-zinc-900 focus-visible:outline-2 focus-visible:outline-emerald-600"
            />
            <Button id={`${ids}-copy`} variant={copied ? "secondary" : "primary"} onClick={() => void copy()}>
              {copied ? "Copied ✓" : `Copy ${noun}`}
            </Button>
          </div>
          {copyFailed && (
            <p role="alert" className="mt-2 text-sm text-red-700">
              Your browser did not let us copy. Select the {noun} above and copy it yourself (Ctrl+C or ⌘C).
            </p>
          )}
          {confirming ? (
            <div role="alert" className="mt-5 rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-900">
              <p className="font-semibold">You have not copied the {noun}.</p>
              <p className="mt-1">Once this closes, nobody can show it again. Close anyway?</p>
              <div className="mt-3 flex flex-wrap gap-2">
                <Button id={`${ids}-keep-open`} size="sm" variant="secondary" onClick={() => setConfirming(false)}>
                  Keep it open
                </Button>
                <Button size="sm" variant="danger" onClick={close}>
                  Close without copying
                </Button>
              </div>
            </div>
          ) : (
            <div className="mt-6 flex justify-end">
              <Button variant={copied ? "primary" : "secondary"} onClick={requestClose}>
                {copied ? "Done" : "Close"}
              </Button>
            </div>
          )}
        </DialogContent>
      )}
    </Dialog>
  );
}
