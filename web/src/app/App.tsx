import { ApiStatus } from "../features/health/components/ApiStatus.tsx";

export function App() {
  return (
    <main className="page">
      <h1>Switchboard</h1>
      <p>Multi-tenant WhatsApp API gateway. The dashboard for onboarding, API keys, webhooks and billing is on its way.</p>
      <ApiStatus />
    </main>
  );
}
