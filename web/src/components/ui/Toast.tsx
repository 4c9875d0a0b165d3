import * as ToastPrimitive from "@radix-ui/react-toast";
import { useSyncExternalStore } from "react";

type ToastMessage = { id: number; title: string; description?: string };

// A tiny store so any code (a mutation's onSuccess, not only components) can raise a toast.
let toasts: ToastMessage[] = [];
let nextId = 1;
const listeners = new Set<() => void>();
const emit = () => listeners.forEach((listener) => listener());

/** Shows a short confirmation ("Copied", "Now acting for Acme") that disappears by itself. */
export function toast(title: string, description?: string): void {
  toasts = [...toasts, { id: nextId++, title, ...(description ? { description } : {}) }];
  emit();
}

function dismiss(id: number) {
  toasts = toasts.filter((message) => message.id !== id);
  emit();
}

const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => void listeners.delete(listener);
};

/** Rendered once, by the app's providers; announced politely to screen readers (Radix). */
export function Toaster() {
  const messages = useSyncExternalStore(
    subscribe,
    () => toasts,
    () => toasts,
  );
  return (
    <ToastPrimitive.Provider duration={5000} label="Notification">
      {messages.map((message) => (
        <ToastPrimitive.Root
          key={message.id}
          onOpenChange={(open) => !open && dismiss(message.id)}
          className="flex items-start gap-3 rounded-md border border-zinc-200 bg-white p-3 text-sm shadow-lg"
        >
          <div className="min-w-0 flex-1">
            <ToastPrimitive.Title className="font-medium text-zinc-900">{message.title}</ToastPrimitive.Title>
            {message.description && <ToastPrimitive.Description className="mt-0.5 text-zinc-600">{message.description}</ToastPrimitive.Description>}
          </div>
          <ToastPrimitive.Close className="rounded px-1 text-zinc-600 hover:bg-zinc-100" aria-label="Dismiss">
            ✕
          </ToastPrimitive.Close>
        </ToastPrimitive.Root>
      ))}
      <ToastPrimitive.Viewport className="fixed right-0 bottom-0 z-50 flex w-full max-w-sm flex-col gap-2 p-4 outline-none" />
    </ToastPrimitive.Provider>
  );
}
