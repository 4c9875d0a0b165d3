import { useState, type ComponentProps, type ReactElement, type ReactNode } from "react";
import { Button, type ButtonProps } from "./Button.tsx";
import { Dialog, DialogClose, DialogContent, DialogTrigger } from "./Dialog.tsx";
import { ErrorDisplay } from "./ErrorDisplay.tsx";

/** What the dialog shows of the action it confirms: a TanStack mutation fits as is. */
export type ConfirmedAction = { isPending: boolean; error: unknown; reset: () => void };

type ConfirmDialogProps = {
  /** The button that opens the dialog. */
  trigger: ReactElement;
  title: string;
  description: ReactNode;
  action: ConfirmedAction;
  /** The heading of the action's error, shown in the dialog ("Could not revoke the key"). */
  errorTitle: string;
  confirmLabel: ReactNode;
  confirmVariant?: ButtonProps["variant"];
  cancelLabel?: string;
  /** Starts the action; `close` closes the dialog (on success, typically). */
  onConfirm: (close: () => void) => void;
  /** Passed to the dialog's content, e.g. where focus goes when it closes. */
  contentProps?: Omit<ComponentProps<typeof DialogContent>, "title" | "description" | "children">;
};

/**
 * "Are you sure?" before an action that cannot be taken back: the action's error stays in the dialog,
 * and closing the dialog forgets it (the next opening starts clean).
 */
export function ConfirmDialog({
  trigger,
  title,
  description,
  action,
  errorTitle,
  confirmLabel,
  confirmVariant = "danger",
  cancelLabel = "Cancel",
  onConfirm,
  contentProps,
}: ConfirmDialogProps) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) action.reset();
      }}
    >
      <DialogTrigger asChild>{trigger}</DialogTrigger>
      <DialogContent title={title} description={description} {...contentProps}>
        {action.error ? <ErrorDisplay className="mb-4" error={action.error} title={errorTitle} /> : null}
        <div className="flex flex-wrap justify-end gap-2">
          <DialogClose asChild>
            <Button variant="secondary">{cancelLabel}</Button>
          </DialogClose>
          <Button variant={confirmVariant} loading={action.isPending} onClick={() => onConfirm(() => setOpen(false))}>
            {confirmLabel}
          </Button>
        </div>
      </DialogContent>
    </Dialog>
  );
}
