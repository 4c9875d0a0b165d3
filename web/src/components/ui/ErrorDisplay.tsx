import { describeError } from "../../lib/errors.ts";
import type { ErrorCode } from "../../lib/graphql-client.ts";
import { cn } from "../../lib/cn.ts";
import { Button } from "./Button.tsx";

type ErrorDisplayProps = {
  error: unknown;
  /** Shows a "Try again" button (e.g. a query's refetch). */
  onRetry?: () => void;
  /** Codes whose server message fits here better than the general wording (see describeError). */
  useServerMessageFor?: ErrorCode[];
  /** A heading for this context ("Could not log in") instead of the code's own. */
  title?: string;
  className?: string;
};

/**
 * An error in words a person understands (lib/errors.ts), announced to screen readers as it appears.
 * For a form's error that belongs to no single field, and for a section whose data could not load.
 */
export function ErrorDisplay({ error, onRetry, useServerMessageFor, title: contextTitle, className }: ErrorDisplayProps) {
  const { title, message, code } = describeError(error, useServerMessageFor ? { useServerMessageFor } : {});
  return (
    <div role="alert" data-error-code={code} className={cn("rounded-md border border-red-200 bg-red-50 p-4 text-sm text-red-900", className)}>
      <p className="font-semibold">{contextTitle ?? title}</p>
      <p className="mt-1">{message}</p>
      {onRetry && (
        <Button variant="secondary" size="sm" className="mt-3" onClick={onRetry}>
          Try again
        </Button>
      )}
    </div>
  );
}
