import { createLazyRoute } from "@tanstack/react-router";
import { TeamPage } from "../../features/team/components/TeamPage.tsx";

export const Route = createLazyRoute("/_authenticated/team")({ component: TeamPage });
