import { createLazyRoute } from "@tanstack/react-router";
import { ApiKeysPage } from "../../features/api-keys/components/ApiKeysPage.tsx";

export const Route = createLazyRoute("/_authenticated/api-keys")({ component: ApiKeysPage });
