import { SecretDialog as SecretDialogBase } from "../../../components/ui/SecretDialog.tsx";
import type { CreatedKey } from "./CreateApiKeyForm.tsx";

/** The new key's secret, shown this once (components/ui/SecretDialog.tsx: copy, and a question before closing uncopied). */
export function SecretDialog({ created, onClose }: { created: CreatedKey | null; onClose: () => void }) {
  return (
    <SecretDialogBase
      secret={created?.secret ?? null}
      title={`Your new key: ${created?.name ?? ""}`}
      description="Copy it now and keep it somewhere safe, such as your app's secret settings."
      warning={
        <>
          <strong className="font-semibold">This is the only time the key is shown.</strong> Switchboard stores only a fingerprint of it; if you lose it, revoke
          it and create a new one.
        </>
      }
      noun="key"
      label="Secret key"
      onClose={onClose}
    />
  );
}
