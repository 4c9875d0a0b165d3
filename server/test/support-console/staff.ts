import type { PlatformRole } from "../../src/generated/prisma/enums.ts";
import { grantStaffRole } from "../../src/modules/support/staff.ts";
import { expectData, logIn, newAccount, type TestApi } from "../support/api.ts";

export type Staff = { email: string; password: string; userId: string; token: string };

/** A new staff account made as `npm run staff` makes it (the owner connection), logged in through logIn. */
export async function newStaff(api: TestApi, role: PlatformRole = "SUPPORT", label = "staff"): Promise<Staff> {
  const { email, password } = newAccount(label);
  const client = await api.database.ownerPool.connect();
  try {
    const { userId } = await grantStaffRole(client, { email, role, password: async () => password });
    return { email, password, userId, token: await logIn(api, { email, password }) };
  } finally {
    client.release();
  }
}

export const START_SESSION = `mutation ($reason: String!) { startSupportSession(reason: $reason) { id reason startedAt expiresAt } }`;
export const SEARCH = `query ($sessionId: ID!, $filter: SupportMessageFilter!, $first: Int, $after: String) {
  supportSearchMessages(sessionId: $sessionId, filter: $filter, first: $first, after: $after) {
    edges { cursor node { id tenant { id companyName } direction status contact from to providerMessageId attempts createdAt statusChangedAt
      history { status at } webhookDeliveries { id eventType status attempts } } }
    pageInfo { hasNextPage hasPreviousPage endCursor }
  }
}`;
export const OPEN = `query ($sessionId: ID!, $messageId: ID!) {
  supportMessage(sessionId: $sessionId, messageId: $messageId) { id text tenant { id companyName } status history { status } webhookDeliveries { eventType status attempts } }
}`;
export const ACCESS_LOG = `query ($first: Int, $after: String) {
  supportAccessLog(first: $first, after: $after) {
    edges { node { id createdAt staffEmail reason supportSessionId action messageId
      query { contact providerMessageId messageId text statuses direction createdAfter createdBefore tenantNamed } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

export const REASON = "Ticket 4512: customer says +14155550123 never got the order confirmation";

export async function startSession(api: TestApi, staff: Staff, reason = REASON): Promise<string> {
  return expectData(await api.graphql(START_SESSION, { reason }, { token: staff.token })).startSupportSession.id;
}
