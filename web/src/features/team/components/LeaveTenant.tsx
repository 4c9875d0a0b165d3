import { Button } from "../../../components/ui/Button.tsx";
import { Card } from "../../../components/ui/Card.tsx";
import { ConfirmDialog } from "../../../components/ui/ConfirmDialog.tsx";
import { useLeaveTenant } from "../api/team.ts";

/** Leaving the company this person acts for; the last owner cannot (the reason is shown instead). */
export function LeaveTenant({
  companyName,
  canLeave,
  reason,
  onLeft,
}: {
  companyName: string;
  canLeave: boolean;
  reason?: string | undefined;
  onLeft: () => void;
}) {
  const leave = useLeaveTenant();
  return (
    <Card className="p-5" role="region" aria-labelledby="leave-heading">
      <h2 id="leave-heading" className="text-lg font-semibold text-zinc-900">
        Leave {companyName}
      </h2>
      <p className="mt-1 text-sm text-zinc-600">You lose access to its messages, settings and team; only a new invitation brings you back.</p>
      {reason && <p className="mt-2 text-sm font-medium text-zinc-800">{reason}</p>}
      <ConfirmDialog
        trigger={
          <Button variant="secondary" className="mt-4 text-red-700" disabled={!canLeave}>
            Leave the company
          </Button>
        }
        title={`Leave ${companyName}?`}
        description="You lose access at once. Your account and your other companies stay as they are."
        action={leave}
        errorTitle="Could not leave"
        cancelLabel="Stay"
        confirmLabel="Leave"
        onConfirm={() => leave.mutate(undefined, { onSuccess: onLeft })}
      />
    </Card>
  );
}
