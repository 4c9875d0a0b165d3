import type { ReactNode } from "react";
import { Card } from "../../components/ui/Card.tsx";
import { usePageTitle } from "../../lib/page-title.ts";

/** The log-in and sign-up pages: one centred card, the same at 375 px and on a desktop. */
export function AuthLayout({ title, intro, children, footer }: { title: string; intro?: ReactNode; children: ReactNode; footer: ReactNode }) {
  usePageTitle(title);
  return (
    <div className="flex min-h-dvh justify-center bg-zinc-50 px-4 py-10 sm:items-center">
      <main className="w-full max-w-sm">
        <p className="mb-6 text-center text-lg font-semibold tracking-tight text-emerald-800">Switchboard</p>
        <Card className="p-6 sm:p-8">
          <h1 className="text-xl font-semibold text-zinc-900">{title}</h1>
          {intro && <div className="mt-1 text-sm text-zinc-600">{intro}</div>}
          <div className="mt-6">{children}</div>
        </Card>
        <div className="mt-6 text-center text-sm text-zinc-700">{footer}</div>
      </main>
    </div>
  );
}
