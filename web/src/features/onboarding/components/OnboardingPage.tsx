import { useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useEffect, useRef, useState, type ReactNode } from "react";
import { Button, buttonClasses } from "../../../components/ui/Button.tsx";
import { Card } from "../../../components/ui/Card.tsx";
import { ErrorDisplay } from "../../../components/ui/ErrorDisplay.tsx";
import { Notice } from "../../../components/ui/Notice.tsx";
import { PageHeader } from "../../../components/ui/PageHeader.tsx";
import { Skeleton } from "../../../components/ui/Skeleton.tsx";
import { onboardingStatusQueryOptions, useOnboardingStatus } from "../api/get-onboarding-status.ts";
import { readProgress, resumeStep, STEPS, writeProgress, type StepKey } from "../wizard-progress.ts";
import { ConnectWhatsAppStep } from "./ConnectWhatsAppStep.tsx";
import { InboundUrlStep } from "./InboundUrlStep.tsx";
import { StepIndicator } from "./StepIndicator.tsx";
import { TestMessageStep } from "./TestMessageStep.tsx";

export const STEP_TITLES: Record<StepKey, string> = {
  company: "Company details",
  connect: "Connect WhatsApp",
  "inbound-url": "Inbound webhook URL",
  "test-message": "Send a test message",
  done: "All set",
};

type OnboardingPageProps = {
  /** Owners and admins connect numbers and see the inbound URL; members are told who does. */
  canManage: boolean;
  /** The tenant's set-up changed (a number connected, a message sent): other pages' data is stale. */
  onProgress?: () => void;
};

/**
 * The set-up wizard, shown after sign-up: company, WhatsApp number (or the sandbox), the inbound URL
 * for Rapiwa, a test message watched until delivered. It resumes where it was left (wizard-progress.ts).
 */
export function OnboardingPage({ canManage, onProgress }: OnboardingPageProps) {
  const status = useOnboardingStatus();
  return (
    <>
      <PageHeader title="Onboarding" description="Connect your WhatsApp number and send a first message, in a few minutes." />
      {status.isPending ? (
        <WizardSkeleton />
      ) : status.isError ? (
        <ErrorDisplay error={status.error} title="Could not load your set-up" onRetry={() => void status.refetch()} />
      ) : (
        // A new tenant (switched) starts its own wizard from its own progress.
        <Wizard key={status.data.tenant.id} data={status.data} canManage={canManage} onProgress={onProgress} />
      )}
    </>
  );
}

type WizardData = NonNullable<ReturnType<typeof useOnboardingStatus>["data"]>;

function Wizard({ data, canManage, onProgress }: { data: WizardData; canManage: boolean; onProgress: (() => void) | undefined }) {
  const queryClient = useQueryClient();
  const tenantId = data.tenant.id;
  const connection = data.tenant.whatsapp?.status === "CONNECTED" ? data.tenant.whatsapp : null;
  const messageSent = data.sentMessages.edges.length > 0;
  const [step, setStep] = useState<StepKey>(() => resumeStep({ stored: readProgress(tenantId).step, connected: Boolean(connection), messageSent }));
  const [testMessageId, setTestMessageId] = useState<string | null>(() => readProgress(tenantId).testMessageId ?? null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const moved = useRef(false);

  useEffect(() => {
    writeProgress(tenantId, { step });
    // Focus follows the step (not on arrival: the page's own focus handling applies then).
    if (moved.current) headingRef.current?.focus();
  }, [step, tenantId]);

  const go = (next: StepKey) => {
    moved.current = true;
    setStep(next);
  };
  const index = STEPS.indexOf(step);
  const furthest = connection ? STEPS.length - 1 : STEPS.indexOf("connect");
  const done: Record<StepKey, boolean> = {
    company: true,
    connect: Boolean(connection),
    "inbound-url": Boolean(connection),
    "test-message": messageSent,
    // The end, not a task: marked once reached.
    done: step === "done",
  };

  let body: ReactNode;
  let canGoOn = index < furthest;
  switch (step) {
    case "company":
      body = <CompanyStep companyName={data.tenant.companyName} />;
      break;
    case "connect":
      body = canManage ? (
        <ConnectWhatsAppStep
          connection={connection}
          onConnected={() => {
            onProgress?.();
            go("inbound-url");
          }}
        />
      ) : (
        <MemberNotice connected={connection?.number} />
      );
      if (!connection) canGoOn = false;
      break;
    case "inbound-url":
      body = <InboundUrlStep canManage={canManage} />;
      break;
    case "test-message":
      body = (
        <TestMessageStep
          defaultTo={connection?.number ?? ""}
          sandbox={connection?.provider === "SANDBOX"}
          messageId={testMessageId}
          onSent={(id) => {
            setTestMessageId(id);
            writeProgress(tenantId, { testMessageId: id ?? "" });
          }}
          onFinal={() => {
            void queryClient.invalidateQueries({ queryKey: onboardingStatusQueryOptions().queryKey });
            onProgress?.();
          }}
        />
      );
      break;
    case "done":
      body = <DoneStep messageSent={messageSent} />;
      break;
  }

  return (
    <div className="space-y-4">
      <StepIndicator current={step} done={done} furthest={furthest} onSelect={go} />
      <Card className="p-4 sm:p-6">
        <section aria-labelledby="wizard-step-heading" data-step={step}>
          <p className="text-sm text-zinc-600">
            Step {index + 1} of {STEPS.length}
          </p>
          <h2 id="wizard-step-heading" ref={headingRef} tabIndex={-1} className="mb-4 text-xl font-semibold text-zinc-900 outline-none">
            {STEP_TITLES[step]}
          </h2>
          {body}
        </section>
        <div className="mt-6 flex flex-wrap items-center justify-between gap-3 border-t border-zinc-100 pt-4">
          {index > 0 ? (
            <Button variant="secondary" onClick={() => go(STEPS[index - 1]!)}>
              <span aria-hidden="true">←</span> Back
            </Button>
          ) : (
            <span />
          )}
          {step !== "done" && (
            <Button onClick={() => go(STEPS[index + 1]!)} disabled={!canGoOn}>
              {step === "test-message" && !messageSent ? "Skip for now" : "Next"} <span aria-hidden="true">→</span>
            </Button>
          )}
        </div>
        {step === "connect" && !connection && <p className="mt-2 text-right text-sm text-zinc-600">Connect a number (or the sandbox) to go on.</p>}
      </Card>
    </div>
  );
}

function CompanyStep({ companyName }: { companyName: string }) {
  return (
    <div className="space-y-3 text-sm text-zinc-700">
      <dl>
        <dt className="font-medium text-zinc-900">Company name</dt>
        <dd className="mt-1 text-base text-zinc-900" data-testid="onboarding-company-name">
          {companyName}
        </dd>
      </dl>
      <p>This is the name you gave at sign-up; your team sees it in the dashboard. Next, connect the WhatsApp number your messages go out from.</p>
    </div>
  );
}

function MemberNotice({ connected }: { connected: string | undefined }) {
  return connected ? (
    <Notice tone="success">
      <span aria-hidden="true">✓ </span>
      {connected} is connected.
    </Notice>
  ) : (
    <Notice>An owner or admin of your team connects the WhatsApp number. Once they have, come back here to send a test message.</Notice>
  );
}

function DoneStep({ messageSent }: { messageSent: boolean }) {
  const links = [
    { to: "/api-keys", label: "Create an API key", description: "Your code sends messages with it." },
    { to: "/team", label: "Invite your team", description: "Colleagues see the message log and can send." },
    { to: "/settings", label: "Check your settings", description: "Your company's details." },
  ] as const;
  return (
    <div className="space-y-4 text-sm text-zinc-700">
      <p>
        {messageSent
          ? "Your number is connected and your messages go out. What is next:"
          : "Your number is connected. Send a test message whenever you like (a step back). What is next:"}
      </p>
      <ul className="space-y-3">
        {links.map((link) => (
          <li key={link.to} className="flex flex-wrap items-center justify-between gap-2">
            <span>{link.description}</span>
            <Link to={link.to} className={buttonClasses("secondary", "sm")}>
              {link.label}
            </Link>
          </li>
        ))}
      </ul>
      <Link to="/" className={buttonClasses("primary", "md")}>
        Go to Home
      </Link>
    </div>
  );
}

function WizardSkeleton() {
  return (
    <div aria-busy="true" className="space-y-4">
      <span className="sr-only" role="status">
        Loading your set-up…
      </span>
      <Skeleton className="h-10 w-full" />
      <Card className="space-y-3 p-6">
        <Skeleton className="h-4 w-24" />
        <Skeleton className="h-7 w-56" />
        <Skeleton className="h-4 w-full" />
        <Skeleton className="h-4 w-3/4" />
      </Card>
    </div>
  );
}
