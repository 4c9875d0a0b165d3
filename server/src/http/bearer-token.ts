import type { FastifyRequest } from "fastify";

/** The token of an `Authorization: Bearer <token>` header, if the request sent one. */
export const bearerToken = (request: FastifyRequest): string | undefined => request.headers.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
