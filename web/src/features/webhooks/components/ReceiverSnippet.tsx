import { Button } from "../../../components/ui/Button.tsx";
import { toast } from "../../../components/ui/Toast.tsx";
import { copyText } from "../../../lib/copy-text.ts";

/** A whole receiver in Node: verifies each delivery's signature with the standardwebhooks package. */
export const RECEIVER_SNIPPET = `// npm install standardwebhooks
import http from "node:http";
import { Webhook } from "standardwebhooks";

// The endpoint's signing secret (whsec_...), shown when you add the endpoint.
const webhook = new Webhook(process.env.SWITCHBOARD_WEBHOOK_SECRET);

http
  .createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      try {
        // Throws unless the body was signed with your secret in the last 5 minutes.
        const event = webhook.verify(body, req.headers);
        console.log(req.headers["webhook-id"], event.type, event.data);
        res.writeHead(204).end();
      } catch {
        res.writeHead(400).end();
      }
    });
  })
  .listen(3000);`;

export function ReceiverSnippet() {
  return (
    <section aria-labelledby="receiver-snippet-heading" className="mt-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h3 id="receiver-snippet-heading" className="text-sm font-semibold text-zinc-900">
          A receiver in Node.js
        </h3>
        <Button
          size="sm"
          variant="secondary"
          onClick={() => void copyText(RECEIVER_SNIPPET).then((ok) => toast(ok ? "Copied" : "Could not copy; select the code and copy it yourself."))}
        >
          Copy code
        </Button>
      </div>
      <p className="mt-1 text-sm text-zinc-600">
        Verify every delivery before trusting it, and deduplicate on the <code className="font-mono text-xs">webhook-id</code> header: a retry carries the same
        one.
      </p>
      <pre
        tabIndex={0}
        className="mt-2 overflow-x-auto rounded-md bg-zinc-900 p-4 text-xs leading-relaxed text-zinc-100 focus-visible:outline-2 focus-visible:outline-emerald-600"
      >
        <code>{RECEIVER_SNIPPET}</code>
      </pre>
    </section>
  );
}
