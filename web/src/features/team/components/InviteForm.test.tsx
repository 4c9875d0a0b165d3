import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { answerOperations, graphQLError, renderWithQueries, type FakeAnswer } from "../../../test/render.tsx";
import type { MembershipRole } from "../../../graphql/graphql.ts";
import { InviteForm } from "./InviteForm.tsx";

const INVITED: FakeAnswer = {
  body: { data: { inviteTeamMember: { id: "i1", email: "bo@acme.test", role: "ADMIN", status: "PENDING", expiresAt: "2026-12-07T00:00:00.000Z" } } },
};

function setUp(answer: FakeAnswer, viewerRole: MembershipRole = "OWNER") {
  const server = answerOperations({ InviteTeamMember: answer });
  vi.stubGlobal("fetch", server.fetch);
  renderWithQueries(<InviteForm viewerRole={viewerRole} />);
  return server;
}

describe("InviteForm", () => {
  it("says up front that people join only by accepting, and the hourly limit", () => {
    setUp(INVITED);
    expect(screen.getByRole("form", { name: "Invite someone" })).toHaveTextContent(/join only by accepting the invitation/);
    expect(screen.getByRole("form", { name: "Invite someone" })).toHaveTextContent(/up to 20 invitations an hour/);
  });

  it("checks the email before sending anything", async () => {
    const server = setUp(INVITED);
    await userEvent.click(screen.getByRole("button", { name: "Send invitation" }));
    expect(screen.getByLabelText("Email address")).toHaveAccessibleDescription("Enter the email address to invite.");
    expect(screen.getByLabelText("Email address")).toHaveFocus();
    await userEvent.type(screen.getByLabelText("Email address"), "not-an-email");
    expect(screen.getByLabelText("Email address")).toHaveAccessibleDescription("Enter a valid email address.");
    expect(server.requests).toHaveLength(0);
  });

  it("invites the email with the chosen role and empties the field", async () => {
    const server = setUp(INVITED);
    await userEvent.type(screen.getByLabelText("Email address"), " bo@acme.test ");
    await userEvent.selectOptions(screen.getByLabelText("Role"), "ADMIN");
    await userEvent.click(screen.getByRole("button", { name: "Send invitation" }));
    await waitFor(() => expect(screen.getByLabelText("Email address")).toHaveValue(""));
    expect(server.requests[0]!.variables).toEqual({ input: { email: "bo@acme.test", role: "ADMIN" } });
  });

  it("offers an admin no owner role, and says why", () => {
    setUp(INVITED, "ADMIN");
    const options = screen.getAllByRole("option").map((option) => option.textContent);
    expect(options).toEqual(["Admin", "Member"]);
    expect(screen.getByLabelText("Role")).toHaveAccessibleDescription("Only an owner can invite an owner.");
  });

  it("puts the server's refusal under the email (already in the team)", async () => {
    setUp(graphQLError("CONFLICT", "bo@acme.test is already in this team.", { field: "email" }));
    await userEvent.type(screen.getByLabelText("Email address"), "bo@acme.test");
    await userEvent.click(screen.getByRole("button", { name: "Send invitation" }));
    await waitFor(() => expect(screen.getByLabelText("Email address")).toHaveAccessibleDescription("bo@acme.test is already in this team."));
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });

  it("shows the hourly limit's refusal above the form", async () => {
    setUp(graphQLError("RATE_LIMITED", "Too many invitations from this tenant. Try again in 1200 s.", { retryAfterSeconds: 1200 }));
    await userEvent.type(screen.getByLabelText("Email address"), "bo@acme.test");
    await userEvent.click(screen.getByRole("button", { name: "Send invitation" }));
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Could not send the invitation");
    expect(alert).toHaveTextContent("Too many invitations from this tenant.");
  });
});
