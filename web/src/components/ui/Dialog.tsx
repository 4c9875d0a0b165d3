import * as DialogPrimitive from "@radix-ui/react-dialog";
import type { ComponentProps, ReactNode } from "react";
import { cn } from "../../lib/cn.ts";

// Radix's dialog: focus moves in and is trapped, Escape closes, focus returns to the trigger.
export const Dialog = DialogPrimitive.Root;
export const DialogTrigger = DialogPrimitive.Trigger;
export const DialogClose = DialogPrimitive.Close;

type DialogContentProps = ComponentProps<typeof DialogPrimitive.Content> & {
  title: string;
  /** Read out with the title; pass `null` when the content says it all. */
  description: ReactNode;
  /** `sheet`: slides from the left edge, full height (the phone navigation); `drawer`: a wide panel on the right (a record's details). */
  variant?: "center" | "sheet" | "drawer";
};

export function DialogContent({ title, description, variant = "center", className, children, ...props }: DialogContentProps) {
  return (
    <DialogPrimitive.Portal>
      <DialogPrimitive.Overlay className="fixed inset-0 z-40 bg-zinc-950/40" />
      <DialogPrimitive.Content
        {...(description === null ? { "aria-describedby": undefined } : {})}
        className={cn(
          "fixed z-50 bg-white shadow-xl focus:outline-none",
          variant === "center"
            ? "top-1/2 left-1/2 w-[calc(100%-2rem)] max-w-lg -translate-x-1/2 -translate-y-1/2 rounded-lg p-6"
            : variant === "sheet"
              ? "inset-y-0 left-0 w-72 max-w-[85vw] overflow-y-auto p-4"
              : "inset-y-0 right-0 w-full max-w-xl overflow-y-auto p-4 sm:p-6",
          className,
        )}
        {...props}
      >
        <DialogPrimitive.Title className="text-lg font-semibold text-zinc-900">{title}</DialogPrimitive.Title>
        {description !== null && <DialogPrimitive.Description className="mt-1 text-sm text-zinc-600">{description}</DialogPrimitive.Description>}
        <div className="mt-4">{children}</div>
      </DialogPrimitive.Content>
    </DialogPrimitive.Portal>
  );
}
