import { RouterProvider } from "@tanstack/react-router";
import { useState } from "react";
import { AppProviders } from "./providers.tsx";
import { createAppRouter } from "./router.tsx";

export function App() {
  const [{ router, queryClient }] = useState(() => createAppRouter());
  return (
    <AppProviders queryClient={queryClient}>
      <RouterProvider router={router} />
    </AppProviders>
  );
}
