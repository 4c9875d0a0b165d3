import { screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { fakeGraphQLFetch, renderWithQueries } from "../../../test/render.tsx";
import { ApiStatus } from "./ApiStatus.tsx";

describe("ApiStatus", () => {
  it("asks the API for its health and says when everything is up", async () => {
    const server = fakeGraphQLFetch(() => ({ body: { data: { health: "OK" } } }));
    vi.stubGlobal("fetch", server.fetch);
    renderWithQueries(<ApiStatus />);
    expect(screen.getByText("Checking the API…")).toBeInTheDocument();
    expect(await screen.findByText("API and database are up")).toHaveAttribute("data-state", "ok");
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.query).toMatch(/query Health\s*{\s*health\s*}/);
  });

  it("says when the database is not answering", async () => {
    vi.stubGlobal("fetch", fakeGraphQLFetch(() => ({ body: { data: { health: "DEGRADED" } } })).fetch);
    renderWithQueries(<ApiStatus />);
    expect(await screen.findByText("API is up, database is not answering")).toHaveAttribute("data-state", "error");
  });

  it("shows the server's error message when the request fails", async () => {
    vi.stubGlobal(
      "fetch",
      fakeGraphQLFetch(() => ({ status: 429, body: { errors: [{ message: "Too many requests. Try again in 3 s.", extensions: { code: "RATE_LIMITED" } }] } }))
        .fetch,
    );
    renderWithQueries(<ApiStatus />);
    expect(await screen.findByText("API unreachable: Too many requests. Try again in 3 s.")).toHaveAttribute("data-state", "error");
  });
});
