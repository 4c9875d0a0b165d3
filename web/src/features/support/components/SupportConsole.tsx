import { useState } from "react";
import { Button } from "../../../components/ui/Button.tsx";
import { Card } from "../../../components/ui/Card.tsx";
import { Notice } from "../../../components/ui/Notice.tsx";
import { PageHeader } from "../../../components/ui/PageHeader.tsx";
import type { SupportMessageFilter } from "../../../graphql/graphql.ts";
import { useEndSupportSession } from "../api/end-support-session.ts";
import { MessageDetail } from "./MessageDetail.tsx";
import { SearchForm } from "./SearchForm.tsx";
import { SearchResults } from "./SearchResults.tsx";
import { StartSessionForm } from "./StartSessionForm.tsx";
import { minutesLeft, useNow, useStoredSupportSession } from "./session-storage.ts";

/** The support console: a session with a reason, then searches and opened messages, every one recorded. */
export function SupportConsole() {
  const [session, setSession] = useStoredSupportSession();
  const [filter, setFilter] = useState<SupportMessageFilter | null>(null);
  const [openId, setOpenId] = useState<string | null>(null);
  const [ended, setEnded] = useState(false);
  const end = useEndSupportSession();
  const now = useNow(15_000);
  const live = session !== null && session.endsAt > now;
  const left = session ? minutesLeft(session, now) : 0;

  const finish = () => {
    setSession(null);
    setFilter(null);
    setOpenId(null);
  };

  return (
    <>
      <PageHeader
        title="Support console"
        description="Look up messages across companies to answer a ticket. Every search and every message you open is recorded with your reason, and the companies concerned can read it."
      />
      {!live ? (
        <Card className="max-w-2xl p-5" role="region" aria-labelledby="support-session-heading">
          <h2 id="support-session-heading" className="text-lg font-semibold text-zinc-900">
            Start a support session
          </h2>
          {(ended || session !== null) && (
            <Notice tone="warning" className="mt-3">
              Your support session ended. Give a reason to start a new one.
            </Notice>
          )}
          <div className="mt-4">
            <StartSessionForm
              onStarted={(started) => {
                setEnded(false);
                setSession(started);
              }}
            />
          </div>
        </Card>
      ) : (
        <div className="space-y-6">
          <Card className="flex flex-wrap items-start justify-between gap-3 p-4" role="region" aria-label="Your support session">
            <div className="min-w-0 text-sm">
              <p className="font-medium text-zinc-900" data-testid="support-session-remaining">
                Session active: {left} min left
              </p>
              <p className="mt-1 break-words text-zinc-700">Reason: {session.reason}</p>
            </div>
            <Button
              variant="secondary"
              size="sm"
              loading={end.isPending}
              onClick={() =>
                end.mutate(session.id, {
                  onSettled: () => {
                    setEnded(true);
                    finish();
                  },
                })
              }
            >
              End session
            </Button>
          </Card>
          <Card className="p-5" role="region" aria-labelledby="support-search-heading">
            <h2 id="support-search-heading" className="mb-4 text-lg font-semibold text-zinc-900">
              Search messages
            </h2>
            <SearchForm onSearch={setFilter} />
          </Card>
          {filter && (
            <section aria-labelledby="support-results-heading">
              <h2 id="support-results-heading" className="mb-3 text-lg font-semibold text-zinc-900">
                Results
              </h2>
              <SearchResults sessionId={session.id} filter={filter} onOpen={setOpenId} />
            </section>
          )}
          {openId && <MessageDetail sessionId={session.id} messageId={openId} onClose={() => setOpenId(null)} />}
        </div>
      )}
    </>
  );
}
