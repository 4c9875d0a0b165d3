import { SecretDialog } from "../../../components/ui/SecretDialog.tsx";

export type ShownSecret = { url: string; secret: string; rotated: boolean };

/** An endpoint's signing secret, shown this once: after it was added, or after a rotation. */
export function SigningSecretDialog({ shown, onClose }: { shown: ShownSecret | null; onClose: () => void }) {
  return (
    <SecretDialog
      secret={shown?.secret ?? null}
      title={shown?.rotated ? "Your new signing secret" : "Endpoint added: its signing secret"}
      description={`For ${shown?.url ?? ""}. Put it in your receiver's settings (e.g. SWITCHBOARD_WEBHOOK_SECRET) to verify each delivery's signature.`}
      warning={
        shown?.rotated ? (
          <>
            <strong className="font-semibold">This is the only time the new secret is shown.</strong> The previous secret keeps signing beside it for 24 hours,
            so switch your receiver to this one within a day; after that only this one signs.
          </>
        ) : (
          <>
            <strong className="font-semibold">This is the only time the secret is shown.</strong> Switchboard keeps it encrypted and never shows it again; if
            you lose it, rotate it on the endpoint's page.
          </>
        )
      }
      noun="secret"
      label="Signing secret"
      onClose={onClose}
    />
  );
}
