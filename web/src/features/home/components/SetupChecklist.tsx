import { Link } from "@tanstack/react-router";
import type { ReactNode } from "react";
import { buttonClasses } from "../../../components/ui/Button.tsx";
import { Card } from "../../../components/ui/Card.tsx";
import { ErrorDisplay } from "../../../components/ui/ErrorDisplay.tsx";
import { Skeleton } from "../../../components/ui/Skeleton.tsx";
import { cn } from "../../../lib/cn.ts";
import { useAdminSetupProgress, useSetupProgress } from "../api/get-setup-progress.ts";

type Step = {
  key: string;
  title: string;
  description: string;
  /** true: done; false: to do; null: not this person's to do (their role cannot). */
  done: boolean | null;
  detail?: string;
  action?: ReactNode;
};

const actionLink = (to: "/onboarding" | "/api-keys" | "/webhooks", label: string) => (
  <Link to={to} className={buttonClasses("secondary", "sm")}>
    {label}
  </Link>
);

/**
 * What is left before the tenant sends messages through Switchboard, from its real data. Owners and
 * admins see every step; members see the ones they can read and who can do the rest.
 */
export function SetupChecklist({ canManage }: { canManage: boolean }) {
  const progress = useSetupProgress();
  const admin = useAdminSetupProgress(canManage);

  if (progress.isError || admin.isError) {
    return (
      <Card className="p-5">
        <ChecklistHeading />
        <ErrorDisplay
          className="mt-4"
          error={progress.error ?? admin.error}
          onRetry={() => {
            void progress.refetch();
            if (canManage) void admin.refetch();
          }}
        />
      </Card>
    );
  }
  if (progress.isPending || (canManage && admin.isPending)) return <ChecklistSkeleton />;

  const connection = progress.data.tenant.whatsapp;
  const connected = connection?.status === "CONNECTED";
  const activeKeys = admin.data?.apiKeys.filter((key) => !key.revokedAt).length ?? 0;
  const endpoints = admin.data?.webhookEndpoints.length ?? 0;
  const steps: Step[] = [
    {
      key: "connect",
      title: "Connect a WhatsApp number",
      description: "Your Rapiwa number, or the sandbox to try everything without an account.",
      done: connected,
      ...(connection ? { detail: connected ? `Connected: ${connection.number}` : `${connection.number} is disconnected` } : {}),
      ...(!connected && canManage ? { action: actionLink("/onboarding", "Connect") } : {}),
    },
    {
      key: "first-message",
      title: "Send a first message",
      description: "A test message to your own phone shows the whole path working.",
      done: progress.data.sentMessages.edges.length > 0,
      ...(progress.data.sentMessages.edges.length === 0 ? { action: actionLink("/onboarding", "Send a test") } : {}),
    },
    {
      key: "api-key",
      title: "Create an API key",
      description: "Your code sends messages with it.",
      done: canManage ? activeKeys > 0 : null,
      ...(canManage && activeKeys > 0 ? { detail: `${activeKeys} active key${activeKeys === 1 ? "" : "s"}` } : {}),
      ...(canManage && activeKeys === 0 ? { action: actionLink("/api-keys", "Create a key") } : {}),
    },
    {
      key: "webhook",
      title: "Add a webhook endpoint",
      description: "Incoming messages and status changes are posted to your URL as they happen.",
      done: canManage ? endpoints > 0 : null,
      ...(canManage && endpoints > 0 ? { detail: `${endpoints} endpoint${endpoints === 1 ? "" : "s"}` } : {}),
      ...(canManage && endpoints === 0 ? { action: actionLink("/webhooks", "Add an endpoint") } : {}),
    },
  ];
  const applicable = steps.filter((step) => step.done !== null);
  const doneCount = applicable.filter((step) => step.done).length;

  return (
    <Card className="p-5">
      <ChecklistHeading>
        {/* elementtiming: the browser tests read when this text was painted (time until the home page is usable). */}
        <p className="text-sm text-zinc-600" {...{ elementtiming: "setup-progress" }}>
          {doneCount === applicable.length ? "All set: you are ready to send." : `${doneCount} of ${applicable.length} done`}
        </p>
      </ChecklistHeading>
      <div
        className="mt-3 h-2 overflow-hidden rounded-full bg-zinc-100"
        role="progressbar"
        aria-label="Set-up progress"
        aria-valuemin={0}
        aria-valuemax={applicable.length}
        aria-valuenow={doneCount}
      >
        <div className="h-full bg-emerald-600" style={{ width: `${(doneCount / Math.max(applicable.length, 1)) * 100}%` }} />
      </div>
      <ol className="mt-4 divide-y divide-zinc-100">
        {steps.map((step) => (
          <li key={step.key} className="flex flex-wrap items-center gap-x-4 gap-y-2 py-3 sm:flex-nowrap" data-step={step.key} data-done={String(step.done)}>
            <StepMark done={step.done} />
            <div className="min-w-0 flex-1 basis-48">
              <p className="font-medium text-zinc-900">
                {step.title}
                <span className="sr-only">{step.done === null ? " (an owner or admin does this)" : step.done ? " (done)" : " (to do)"}</span>
              </p>
              <p className="text-sm text-zinc-600">{step.done === null ? "An owner or admin of your team does this." : (step.detail ?? step.description)}</p>
            </div>
            {step.action && <div className="ml-10 sm:ml-0">{step.action}</div>}
          </li>
        ))}
      </ol>
    </Card>
  );
}

function ChecklistHeading({ children }: { children?: ReactNode }) {
  return (
    <div className="flex flex-wrap items-baseline justify-between gap-2">
      <h2 className="text-lg font-semibold text-zinc-900">Get set up</h2>
      {children}
    </div>
  );
}

function StepMark({ done }: { done: boolean | null }) {
  return (
    <span
      aria-hidden="true"
      className={cn(
        "flex size-6 shrink-0 items-center justify-center rounded-full border text-xs font-bold",
        done ? "border-emerald-600 bg-emerald-600 text-white" : done === null ? "border-dashed border-zinc-300 text-zinc-500" : "border-zinc-300 bg-white",
      )}
    >
      {done ? "✓" : ""}
    </span>
  );
}

/** Four rows as tall as the real ones, so the checklist does not jump when its data arrives. */
function ChecklistSkeleton() {
  return (
    <Card className="p-5" aria-busy="true">
      <ChecklistHeading>
        <Skeleton className="h-5 w-24" />
      </ChecklistHeading>
      <span className="sr-only" role="status">
        Loading your set-up progress…
      </span>
      <Skeleton className="mt-3 h-2 w-full rounded-full" />
      <ol className="mt-4 divide-y divide-zinc-100">
        {[0, 1, 2, 3].map((row) => (
          <li key={row} className="flex items-center gap-4 py-3">
            <Skeleton className="size-6 shrink-0 rounded-full" />
            <div className="flex-1 space-y-1.5 py-0.5">
              <Skeleton className="h-4 w-48 max-w-full" />
              <Skeleton className="h-4 w-72 max-w-full" />
            </div>
          </li>
        ))}
      </ol>
    </Card>
  );
}
