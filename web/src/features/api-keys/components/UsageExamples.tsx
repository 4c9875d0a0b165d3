import { useId } from "react";
import { Button } from "../../../components/ui/Button.tsx";
import { toast } from "../../../components/ui/Toast.tsx";
import { copyText } from "../../../lib/copy-text.ts";

const NUMBER = "8801712345678";
const MESSAGE = "Your order #1042 has shipped.";
const IDEMPOTENCY_KEY = "order-1042-shipped";
const SEND_MUTATION = "mutation Send($input: SendMessageInput!) { sendMessage(input: $input) { id status } }";

/** Example requests to copy, with this page's origin and the key: the new secret, else a key's visible start. */
export function examples(origin: string, key: string) {
  const graphqlBody = JSON.stringify({ query: SEND_MUTATION, variables: { input: { to: NUMBER, text: MESSAGE, idempotencyKey: IDEMPOTENCY_KEY } } });
  return [
    {
      id: "rest",
      title: "REST with curl",
      description:
        "Answers 202 with the message's id and status QUEUED; it is sent in the background. Sending again with the same Idempotency-Key sends nothing twice.",
      code: [
        `curl -X POST ${origin}/api/v1/send-message \\`,
        `  -H "Authorization: Bearer ${key}" \\`,
        `  -H "Content-Type: application/json" \\`,
        `  -H "Idempotency-Key: ${IDEMPOTENCY_KEY}" \\`,
        `  -d '${JSON.stringify({ number: NUMBER, message: MESSAGE })}'`,
      ].join("\n"),
    },
    {
      id: "graphql",
      title: "GraphQL with curl",
      description: "The same send through the sendMessage mutation; idempotencyKey plays the Idempotency-Key header's part.",
      code: [
        `curl -X POST ${origin}/graphql \\`,
        `  -H "Authorization: Bearer ${key}" \\`,
        `  -H "Content-Type: application/json" \\`,
        `  -d '${graphqlBody}'`,
      ].join("\n"),
    },
    {
      id: "node",
      title: "Node.js (18 or later) with fetch",
      description: "Keep the key out of your code: the example reads it from an environment variable.",
      code: [
        `// Run with: SWITCHBOARD_API_KEY=${key} node send.mjs`,
        `const response = await fetch("${origin}/api/v1/send-message", {`,
        `  method: "POST",`,
        `  headers: {`,
        `    Authorization: \`Bearer \${process.env.SWITCHBOARD_API_KEY}\`,`,
        `    "Content-Type": "application/json",`,
        `    "Idempotency-Key": "${IDEMPOTENCY_KEY}",`,
        `  },`,
        `  body: JSON.stringify({ number: "${NUMBER}", message: "${MESSAGE}" }),`,
        `});`,
        `console.log(response.status, await response.json());`,
      ].join("\n"),
    },
  ];
}

type UsageExamplesProps = {
  /** The key just created (its secret is known only now), else the newest working key's visible start. */
  secret: string | null;
  prefix: string | null;
};

export function UsageExamples({ secret, prefix }: UsageExamplesProps) {
  const key = secret ?? `${prefix ?? "swb_"}...`;
  return (
    <div className="space-y-6">
      <p className="text-sm text-zinc-600">
        {secret
          ? "Filled in with the key you just created; it stays here only until you leave this page."
          : `Replace ${key} with your whole key. The number is a placeholder: use your recipient's, with the country code.`}
      </p>
      {examples(window.location.origin, key).map((example) => (
        <Example key={example.id} {...example} />
      ))}
    </div>
  );
}

function Example({ title, description, code }: { title: string; description: string; code: string }) {
  const id = useId();
  return (
    <section aria-labelledby={`${id}-title`}>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h3 id={`${id}-title`} className="font-medium text-zinc-900">
          {title}
        </h3>
        <Button
          variant="secondary"
          size="sm"
          aria-label={`Copy the ${title} example`}
          onClick={() => void copyText(code).then((ok) => toast(ok ? "Copied" : "Could not copy; select the example and copy it yourself."))}
        >
          Copy
        </Button>
      </div>
      <p className="mt-1 text-sm text-zinc-600">{description}</p>
      <pre
        // Scrolls sideways on narrow screens; focusable so the keyboard can scroll it too.
        tabIndex={0}
        className="mt-2 overflow-x-auto rounded-md bg-zinc-900 p-4 font-mono text-xs leading-relaxed text-zinc-100 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-emerald-600"
      >
        <code>{code}</code>
      </pre>
    </section>
  );
}
