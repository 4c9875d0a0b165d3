import type { PrismaClient } from "../../src/generated/prisma/client.ts";

export type TenantFixture = {
  tenantId: string;
  userId: string;
  sessionId: string;
  apiKeyId: string;
  connectionId: string;
  endpointId: string;
  messageId: string;
  statusEventId: string;
  deliveryId: string;
  auditLogId: string;
  invitationId: string;
};

/**
 * Seeds one row in every table for a tenant (and its owner user), through the superuser client
 * so the fixture itself does not depend on the policies under test.
 */
export async function seedTenant(owner: PrismaClient, label: string): Promise<TenantFixture> {
  const tag = `${label}-${Math.random().toString(36).slice(2, 8)}`;
  const tenant = await owner.tenant.create({ data: { companyName: `Company ${label}`, slug: `company-${tag}` } });
  const user = await owner.user.create({ data: { email: `owner-${tag}@example.com`, passwordHash: "argon2id-placeholder" } });
  await owner.membership.create({ data: { tenantId: tenant.id, userId: user.id, role: "OWNER" } });
  const session = await owner.session.create({
    data: { userId: user.id, tokenHash: `session-${tag}`.padEnd(64, "0"), expiresAt: new Date(Date.now() + 3_600_000) },
  });
  const apiKey = await owner.apiKey.create({
    data: { tenantId: tenant.id, name: "CI", prefix: `swb_${tag}`, secretHash: "0".repeat(64), scopes: ["MESSAGES_SEND"] },
  });
  const connection = await owner.whatsAppConnection.create({
    data: {
      tenantId: tenant.id,
      provider: "RAPIWA",
      number: "+8801234567890",
      apiKeyCiphertext: "ciphertext",
      inboundTokenHash: `inbound-${tag}`.padEnd(64, "0"),
      inboundTokenCiphertext: "ciphertext",
    },
  });
  const endpoint = await owner.webhookEndpoint.create({
    data: { tenantId: tenant.id, url: `https://hooks.example.com/${tag}`, secretCiphertext: "ciphertext", eventTypes: [] },
  });
  const message = await owner.message.create({
    data: {
      tenantId: tenant.id,
      connectionId: connection.id,
      direction: "OUTBOUND",
      fromNumber: "+8801234567890",
      toNumber: "+8801711111111",
      contactNumber: "+8801711111111",
      body: `Hello from ${label}`,
      preview: `Hello from ${label}`,
      status: "QUEUED",
    },
  });
  const statusEvent = await owner.messageStatusEvent.create({
    data: { tenantId: tenant.id, messageId: message.id, status: "QUEUED" },
  });
  await owner.providerEvent.create({
    data: { tenantId: tenant.id, connectionId: connection.id, eventType: "message", payload: { data: { from: "+8801711111111", message: label } } },
  });
  const event = await owner.webhookEvent.create({ data: { tenantId: tenant.id, type: "message.received", payload: { label } } });
  const delivery = await owner.webhookDelivery.create({
    data: { tenantId: tenant.id, endpointId: endpoint.id, eventId: event.id, eventType: "message.received" },
  });
  await owner.webhookDeliveryAttempt.create({ data: { tenantId: tenant.id, deliveryId: delivery.id, responseStatus: 503, durationMs: 12 } });
  const audit = await owner.auditLog.create({
    data: { tenantId: tenant.id, actor: `user:${user.id}`, action: "tenant.created", target: tenant.id },
  });
  await owner.job.create({ data: { tenantId: tenant.id, id: message.id, queue: "send_message", paceKey: connection.id } });
  await owner.jobPace.create({ data: { tenantId: tenant.id, paceKey: connection.id, nextAt: new Date() } });
  await owner.conversationRead.create({ data: { tenantId: tenant.id, contactNumber: message.contactNumber, readUntil: new Date() } });
  await owner.providerMessageRef.create({ data: { tenantId: tenant.id, providerMessageId: `provider-${tag}`, messageId: message.id } });
  await owner.monthlyStatement.create({
    data: {
      tenantId: tenant.id,
      month: new Date("2026-10-01T00:00:00Z"),
      messagesSent: 12,
      messagesReceived: 3,
      messagesFailed: 0,
      connectedNumbers: 1,
      tier: "STARTER",
      planPriceCents: 29_00,
      providerCostCents: 5_00,
      totalCents: 34_00,
    },
  });
  const invitation = await owner.teamInvitation.create({
    data: {
      tenantId: tenant.id,
      email: `invitee-${tag}@example.com`,
      role: "MEMBER",
      invitedBy: `user:${user.id}`,
      expiresAt: new Date(Date.now() + 86_400_000),
    },
  });
  return {
    tenantId: tenant.id,
    userId: user.id,
    sessionId: session.id,
    apiKeyId: apiKey.id,
    connectionId: connection.id,
    endpointId: endpoint.id,
    messageId: message.id,
    statusEventId: statusEvent.id,
    deliveryId: delivery.id,
    auditLogId: audit.id,
    invitationId: invitation.id,
  };
}
