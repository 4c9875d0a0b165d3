import { useSyncExternalStore } from "react";

// The tenant a person in several tenants acts for: kept in this browser (localStorage) and sent as
// X-Tenant-Id with every request (graphql-client.ts). No choice stored means the server's default,
// their first tenant.
const STORAGE_KEY = "switchboard.tenantId";
const listeners = new Set<() => void>();

export function selectedTenantId(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null; // storage blocked (private mode, policies): act for the default tenant
  }
}

export function selectTenant(tenantId: string | null): void {
  try {
    if (tenantId) localStorage.setItem(STORAGE_KEY, tenantId);
    else localStorage.removeItem(STORAGE_KEY);
  } catch {
    // Nothing to keep it in; the default tenant applies.
  }
  listeners.forEach((listener) => listener());
}

const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => void listeners.delete(listener);
};

/** The chosen tenant id, re-rendering when it changes. */
export const useSelectedTenantId = () => useSyncExternalStore(subscribe, selectedTenantId, () => null);
