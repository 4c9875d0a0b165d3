import { createLazyRoute } from "@tanstack/react-router";
import { BillingPage } from "../../features/billing/components/BillingPage.tsx";

export const Route = createLazyRoute("/_authenticated/billing")({ component: BillingPage });
