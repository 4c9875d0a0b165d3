import type { FastifyPluginAsync } from "fastify";
import type { Database } from "../db/database.ts";
import { AppError, type ErrorCode } from "../errors.ts";
import { assertPermissions, Permission } from "../graphql/auth-checker.ts";
import { tenantPrincipalOf } from "../graphql/context.ts";
import type { Authenticator } from "../modules/auth/authenticate.ts";
import { acceptOutboundMessage, type Outbox } from "../modules/messages/send-message.ts";
import { handleRapiwaCallback } from "../modules/messages/inbound-webhook.ts";

const HTTP_STATUS: Record<ErrorCode, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  BAD_USER_INPUT: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  PROVIDER_ERROR: 502,
  INTERNAL: 500,
};

type RestOptions = { db: Database; authenticate: Authenticator["authenticate"]; outbox: Outbox };

/**
 * REST compatibility for integrators coming from the design article: `POST /api/v1/send-message`
 * with `{ number, message }`. Same authentication, same service and same errors as `sendMessage`.
 */
export const restRoutes: FastifyPluginAsync<RestOptions> = async (app, { db, authenticate, outbox }) => {
  app.setErrorHandler((error, request, reply) => {
    if (error instanceof AppError) {
      if (error.details.retryAfterSeconds) reply.header("retry-after", String(error.details.retryAfterSeconds));
      return reply.code(HTTP_STATUS[error.code]).send({ error: { code: error.code, message: error.message, ...error.details } });
    }
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    if (status < 500) return reply.code(status).send({ error: { code: "BAD_USER_INPUT", message: (error as Error).message } });
    request.log.error({ err: error }, "REST request failed");
    return reply.code(500).send({ error: { code: "INTERNAL", message: `Something went wrong on our side. Quote reference ${request.id} if you contact support.` } });
  });

  // Rapiwa's callbacks (incoming messages, receipts) to the URL shown with the connection.
  app.post("/webhooks/rapiwa/:token", async (request, reply) => {
    const { token } = request.params as { token: string };
    const result = await handleRapiwaCallback(db, token, request.body);
    return reply.code(200).send({ success: true, ...result });
  });

  app.post(
    "/api/v1/send-message",
    {
      schema: {
        body: {
          type: "object",
          required: ["number", "message"],
          properties: { number: { type: "string", maxLength: 40 }, message: { type: "string", maxLength: 16_384 } },
        },
        headers: { type: "object", properties: { "idempotency-key": { type: "string", maxLength: 255 } } },
      },
    },
    async (request, reply) => {
      const bearer = request.headers.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
      const auth = await authenticate({ token: bearer, tenantId: undefined });
      assertPermissions({ auth }, [Permission.MESSAGES_SEND]);
      const { number, message } = request.body as { number: string; message: string };
      const idempotencyKey = request.headers["idempotency-key"];
      const accepted = await acceptOutboundMessage(db, outbox, tenantPrincipalOf({ auth }), {
        to: number,
        text: message,
        idempotencyKey: typeof idempotencyKey === "string" ? idempotencyKey : null,
      });
      const { id, status, to, createdAt } = accepted.message;
      return reply.code(accepted.created ? 202 : 200).send({ success: true, id, status, to, createdAt });
    },
  );
};
