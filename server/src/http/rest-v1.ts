import type { FastifyError, FastifyPluginAsync, FastifyRequest, FastifySchemaValidationError } from "fastify";
import type { DatabaseOutage } from "../db/availability.ts";
import type { Database } from "../db/database.ts";
import { AppError, badInput, type ErrorCode } from "../errors.ts";
import { clientErrorOf, HTTP_STATUS } from "../failures.ts";
import { assertPermissions, Permission } from "../modules/auth/permissions.ts";
import { tenantPrincipalOf } from "../modules/auth/principal.ts";
import type { Authenticator } from "../modules/auth/authenticate.ts";
import type { Inbox } from "../modules/messages/inbox.ts";
import { acceptOutboundMessage, type Outbox } from "../modules/sending/send-message.ts";
import { exportFilterOf, exportMessages } from "../modules/messages/messages-export.ts";
import { statementsCsv } from "../modules/usage/statements.ts";
import { SESSION_COOKIE } from "../modules/auth/session-token.ts";
import { handleRapiwaCallback } from "../providers/rapiwa/inbound-callback.ts";
import { assertStorableText } from "../security/text-input.ts";
import type { Logger } from "../logger.ts";
import { bearerToken } from "./bearer-token.ts";

/** The service names fields as `sendMessage` does; REST clients know them by the names they sent. */
const REST_FIELDS: Record<string, string> = { to: "number", text: "message", idempotencyKey: "Idempotency-Key" };

/** Header names as clients write them (`idempotency-key` -> `Idempotency-Key`). */
const headerName = (name: string) => name.replace(/(^|-)([a-z])/g, (_match, dash: string, letter: string) => dash + letter.toUpperCase());

/** Ajv's first complaint as our error, naming the field the way the client wrote it. */
function schemaError([first]: FastifySchemaValidationError[], context: string | undefined): AppError {
  const params = (first?.params ?? {}) as { missingProperty?: string; additionalProperty?: string; type?: string; limit?: number };
  const path = first?.instancePath.split("/").filter(Boolean).join(".") ?? "";
  const named = params.missingProperty ?? params.additionalProperty ?? path;
  const field = !named ? (context ?? "body") : context === "headers" ? headerName(named) : named;
  switch (first?.keyword) {
    case "required":
      return badInput(field, `Send "${field}" too.`);
    case "additionalProperties":
      return badInput(field, `"${field}" is not a field of this request; send "number" and "message" (and optionally "message_type": "text").`);
    case "type":
      return badInput(field, field === "body" ? "Send a JSON object." : `"${field}" must be a JSON ${params.type}.`);
    case "enum":
      return badInput(field, `"${field}" must be one of: ${((first?.params ?? {}) as { allowedValues?: unknown[] }).allowedValues?.join(", ")}.`);
    case "maxLength":
      return badInput(field, `"${field}" may be at most ${params.limit} characters long.`);
    default:
      return badInput(field, `"${field}" is not valid: ${first?.message ?? "check the documentation"}.`);
  }
}

type RestOptions = { db: Database; authenticate: Authenticator["authenticate"]; outbox: Outbox; inbox: Inbox; outage: DatabaseOutage };

/**
 * REST compatibility for integrators coming from the design article: `POST /api/v1/send-message`
 * with `{ number, message }`. Same authentication, same service and same errors as `sendMessage`.
 */
export const restRoutes: FastifyPluginAsync<RestOptions> = async (app, { db, authenticate, outbox, inbox, outage }) => {
  app.setErrorHandler((caught: FastifyError, request, reply) => {
    const validated = caught.validation ? schemaError(caught.validation, caught.validationContext) : caught;
    // What is below 500 is Fastify refusing the body itself (not JSON, wrong media type, too large).
    if (!(validated instanceof AppError) && validated.statusCode && validated.statusCode < 500) {
      return reply.code(validated.statusCode).send({ error: { code: "BAD_USER_INPUT" satisfies ErrorCode, message: validated.message, field: "body" } });
    }
    // The one error path GraphQL takes too: UNAVAILABLE for a database that does not answer, else INTERNAL.
    const error = clientErrorOf(validated, {
      requestId: String(request.id),
      logger: request.log as Logger,
      outage,
      startedAt: Date.now() - reply.elapsedTime,
      logAs: "REST request failed",
    });
    if (error.details.retryAfterSeconds) reply.header("retry-after", String(error.details.retryAfterSeconds));
    const field = error.details.field && (REST_FIELDS[error.details.field] ?? error.details.field);
    return reply.code(HTTP_STATUS[error.code]).send({ error: { code: error.code, message: error.message, ...error.details, ...(field ? { field } : {}) } });
  });

  // Rapiwa's callbacks (incoming messages, receipts) to the URL shown with the connection.
  app.post("/webhooks/rapiwa/:token", async (request, reply) => {
    const { token } = request.params as { token: string };
    const result = await handleRapiwaCallback(db, inbox, token, request.body);
    return reply.code(200).send({ success: true, ...result });
  });

  // The message log as CSV, streamed. An API key, or the dashboard's session cookie (a download link
  // cannot send a header): a GET that changes nothing, and another site cannot read its answer.
  /** Who asks for a download: an API key or the session cookie; the tenant by X-Tenant-Id or `?tenant=`. */
  async function downloadAuth(request: FastifyRequest, tenant: string | undefined, permission: Permission) {
    const tenantHeader = request.headers["x-tenant-id"];
    const tenantId = typeof tenantHeader === "string" ? tenantHeader : undefined;
    if (tenant && tenantId && tenant !== tenantId) throw badInput("tenant", "The tenant parameter and X-Tenant-Id name different tenants; send one.");
    const auth = await authenticate({ token: bearerToken(request) ?? request.cookies[SESSION_COOKIE], tenantId: tenantId ?? tenant });
    if (tenant && !tenantId && auth.failure?.details.field === "X-Tenant-Id") {
      throw badInput("tenant", "tenant must be the id of one of your tenants (an API key acts only for its own: leave it out).");
    }
    assertPermissions({ auth }, [permission]);
    return tenantPrincipalOf({ auth });
  }

  app.get("/api/v1/messages.csv", async (request, reply) => {
    const { filter, tenant } = exportFilterOf(request.query as Record<string, unknown>);
    const { slug, csv } = await exportMessages(db, await downloadAuth(request, tenant, Permission.MESSAGES_READ), filter);
    return reply
      .type("text/csv; charset=utf-8")
      .header("content-disposition", `attachment; filename="messages-${slug}-${new Date().toISOString().slice(0, 10)}.csv"`)
      .header("cache-control", "no-store")
      .send(csv);
  });

  // The closed months' statements as CSV, for the billing page's download (same authentication).
  app.get("/api/v1/statements.csv", async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const tenant = typeof query.tenant === "string" && query.tenant ? query.tenant : undefined;
    const actor = await downloadAuth(request, tenant, Permission.USAGE_READ);
    const csv = await statementsCsv(db, actor, query);
    return reply
      .type("text/csv; charset=utf-8")
      .header("content-disposition", `attachment; filename="statements-${new Date().toISOString().slice(0, 10)}.csv"`)
      .header("cache-control", "no-store")
      .send(csv);
  });

  app.post(
    "/api/v1/send-message",
    {
      schema: {
        // Exactly these two strings: an unknown field is refused (a typo like "mesage" would
        // otherwise pass unnoticed as a missing message, or not at all).
        body: {
          type: "object",
          required: ["number", "message"],
          additionalProperties: false,
          properties: {
            number: { type: "string", maxLength: 40 },
            message: { type: "string", maxLength: 16_384 },
            // Rapiwa's own request carries it; clients moving over may keep sending it.
            message_type: { type: "string", enum: ["text"] },
          },
        },
        headers: { type: "object", properties: { "idempotency-key": { type: "string", maxLength: 255 } } },
      },
    },
    async (request, reply) => {
      assertStorableText(request.body);
      // Bearer only (no session cookie: no CSRF surface); X-Tenant-Id picks the tenant as in GraphQL.
      const bearer = bearerToken(request);
      const tenantHeader = request.headers["x-tenant-id"];
      const auth = await authenticate({ token: bearer, tenantId: typeof tenantHeader === "string" ? tenantHeader : undefined });
      assertPermissions({ auth }, [Permission.MESSAGES_SEND]);
      const { number, message } = request.body as { number: string; message: string };
      const idempotencyKey = request.headers["idempotency-key"];
      const accepted = await acceptOutboundMessage(outbox, tenantPrincipalOf({ auth }), {
        to: number,
        text: message,
        idempotencyKey: typeof idempotencyKey === "string" ? idempotencyKey : null,
      });
      const { id, status, to, createdAt } = accepted.message;
      return reply.code(accepted.created ? 202 : 200).send({ success: true, id, status, to, createdAt });
    },
  );
};
