import { GraphQLEnumType } from "graphql";
import { ERROR_CODES, UNAVAILABLE_RETRY_AFTER_SECONDS, type ErrorCode } from "../errors.ts";
import { HTTP_STATUS } from "../failures.ts";
import { QUERY_LIMITS } from "./limits.ts";

const KIB = 1024;

/** When each code is answered and what a client should do: the schema's documentation of `extensions.code`. */
const MEANING: Record<ErrorCode, string> = {
  UNAUTHENTICATED:
    "No valid credentials: none were sent, the API key is unknown or revoked, the session expired or was ended, or logIn got a wrong email or password. Nothing was done. Log in again or send a valid `Authorization: Bearer` token; sending the same request again will not help.",
  FORBIDDEN:
    "The caller is known but may not do this: its role or API key scopes lack the permission (each operation's description says what it requires; the message names what is missing), an API key called an operation for people only, the session's user is not a member of the X-Tenant-Id tenant (or, at logIn, of any tenant), or the tenant is suspended by Switchboard (its sends and API keys are refused; `tenant.suspension` says why). Nothing was done; do not retry with the same credentials.",
  BAD_USER_INPUT: `The request is malformed or an input is invalid: a GraphQL syntax or validation error, a request past the limits (query depth ${QUERY_LIMITS.maxDepth}, ${QUERY_LIMITS.maxAliases} aliases, ${QUERY_LIMITS.maxTokens.toLocaleString("en-US")} tokens, cost ${QUERY_LIMITS.maxCost.toLocaleString("en-US")}, ${QUERY_LIMITS.maxBatchSize} operations per batch, ${QUERY_LIMITS.maxBodyBytes / KIB} KiB body, answered HTTP 413), or a value that fails a check; then \`extensions.field\` names it as a dotted path (\`input.text\`, \`filter.contact\`) or the header (\`X-Tenant-Id\`). Nothing was done; fix the request (the message says how): sent again unchanged, it fails again.`,
  NOT_FOUND:
    "The id names nothing this tenant has (never made, deleted, or another tenant's), or there is nothing to act on (disconnectWhatsApp with no connected number). Nothing was done. Look-ups with a nullable result (message, webhookEndpoint, node, nodes) answer null instead.",
  CONFLICT:
    "The request contradicts the current state, e.g. an idempotency key reused with another recipient or text, an email already registered or already in the team, a tenant's last owner demoted, removed or leaving, an invitation already answered, no connected WhatsApp number to send from, the endpoint limit reached, or another request changed the same object a moment ago. Nothing was done; `field` names the input at fault when there is one. Read the message and reload what it names before deciding: sent again unchanged, it fails again unless the other request was the cause.",
  RATE_LIMITED:
    "Too many attempts: failed log-ins, sign-ups from one address, or team invitations from one tenant. Nothing was done; send the request again after `retryAfterSeconds` seconds.",
  PROVIDER_ERROR:
    "The WhatsApp provider (Rapiwa) did not answer, was too slow or failed, while the request needed its answer (connectWhatsApp checks the key by sending a message). Nothing was saved; try again later. Sends never fail with it: a message's provider failures show in its status and `error`.",
  UNAVAILABLE: `The database did not answer (e.g. it is restarting). Nothing was done: send the same request again after \`extensions.retryAfterSeconds\` (${UNAVAILABLE_RETRY_AFTER_SECONDS}) seconds; with an idempotency key a send is never doubled. An answer without data is HTTP 503 with Retry-After, on GraphQL too.`,
  TIMEOUT:
    "A support console search ran longer than the support connections allow (SUPPORT_STATEMENT_TIMEOUT_MS) and was stopped; nothing was changed and no other request was held up. Narrow the search (a contact's number, a tenant, a shorter date range) rather than sending it again unchanged.",
  INTERNAL:
    "A bug on the server's side. The details are logged under the reference the message quotes, never sent. Whether anything was done is unknown: check before repeating a write, and quote the reference to support.",
};

/**
 * `enum ErrorCode`: every `extensions.code` the API answers, from ERROR_CODES (errors.ts), the type
 * AppError takes. type-graphql prints only enums that a field uses (its `orphanedTypes` takes
 * classes), so buildGraphQLSchema adds this one to the schema itself.
 */
export const ErrorCodeEnum = new GraphQLEnumType({
  name: "ErrorCode",
  description:
    "Every value an error's `extensions.code` can have (REST: `error.code`); `field` and `retryAfterSeconds`, where given, sit beside it. Each value says when it is answered, what to do, and the HTTP status REST answers it with. New values may be added: handle one you do not know as INTERNAL.",
  values: Object.fromEntries(ERROR_CODES.map((code) => [code, { value: code, description: `${MEANING[code]} REST: HTTP ${HTTP_STATUS[code]}.` }])),
});
