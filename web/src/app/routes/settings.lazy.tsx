import { createLazyRoute } from "@tanstack/react-router";
import { SettingsPage } from "../../features/settings/components/SettingsPage.tsx";

export const Route = createLazyRoute("/_authenticated/settings")({ component: SettingsPage });
