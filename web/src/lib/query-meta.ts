import "@tanstack/react-query";

// Typed `meta` for queries and mutations (TanStack Query's Register interface).
declare module "@tanstack/react-query" {
  interface Register {
    mutationMeta: {
      /**
       * This mutation's UNAUTHENTICATED is its own answer (a wrong password at log-in), not a session
       * that ended: the app's session-ended handling leaves it to the form.
       */
      handlesUnauthenticated?: boolean;
    };
  }
}
