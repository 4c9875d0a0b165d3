import { screen, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { answerOperations, renderWithQueries, graphQLError } from "../../../test/render.tsx";
import type { MembershipRole } from "../../../graphql/graphql.ts";
import { MemberList } from "./MemberList.tsx";
import { memberActions, leaveRule } from "./team-rules.ts";

const member = (id: string, email: string, role: MembershipRole) => ({ id: `m-${id}`, role, createdAt: "2026-11-01T00:00:00.000Z", user: { id, email } });

const TEAM = [member("u1", "olga@acme.test", "OWNER"), member("u2", "adam@acme.test", "ADMIN"), member("u3", "mia@acme.test", "MEMBER")];

function setUp(viewerRole: MembershipRole, viewerUserId: string, team = TEAM) {
  vi.stubGlobal("fetch", answerOperations({ TeamMembers: { body: { data: { teamMembers: team } } } }).fetch);
  renderWithQueries(<MemberList viewerRole={viewerRole} viewerUserId={viewerUserId} />);
}

const row = async (email: string) => (await screen.findAllByTestId("team-member")).find((candidate) => candidate.dataset.email === email)!;

describe("MemberList: what a person may change", () => {
  it("a member sees everyone's role and no way to change or remove anyone", async () => {
    setUp("MEMBER", "u3");
    for (const email of ["olga@acme.test", "adam@acme.test", "mia@acme.test"]) {
      const item = await row(email);
      expect(within(item).queryByRole("combobox")).not.toBeInTheDocument();
      expect(within(item).queryByRole("button")).not.toBeInTheDocument();
    }
    expect(within(await row("olga@acme.test")).getByTestId("member-role")).toHaveTextContent("Owner");
    expect(within(await row("mia@acme.test")).getByText("You")).toBeInTheDocument();
  });

  it("an admin cannot touch an owner, and says why; admins and members can be changed, but never to owner", async () => {
    setUp("ADMIN", "u2");
    const owner = await row("olga@acme.test");
    expect(within(owner).queryByRole("combobox")).not.toBeInTheDocument();
    expect(within(owner).queryByRole("button", { name: /Remove/ })).not.toBeInTheDocument();
    expect(within(owner).getByTestId("member-rule")).toHaveTextContent("Only an owner can change or remove an owner.");

    const mia = await row("mia@acme.test");
    const options = within(within(mia).getByRole("combobox", { name: "Role of mia@acme.test" })).getAllByRole("option");
    expect(options.map((option) => option.textContent)).toEqual(["Admin", "Member"]);
    expect(within(mia).getByRole("button", { name: "Change role" })).toBeDisabled();
    expect(within(mia).getByRole("button", { name: "Remove mia@acme.test" })).toBeEnabled();
    // Their own membership ends by leaving, not by removing.
    expect(within(await row("adam@acme.test")).queryByRole("button", { name: /Remove/ })).not.toBeInTheDocument();
  });

  it("the only owner cannot be demoted or removed, even by an owner", async () => {
    setUp("OWNER", "u1");
    const owner = await row("olga@acme.test");
    expect(within(owner).queryByRole("combobox")).not.toBeInTheDocument();
    expect(within(owner).getByTestId("member-rule")).toHaveTextContent("The company always keeps an owner: make someone else owner first.");
    const options = within(within(await row("adam@acme.test")).getByRole("combobox")).getAllByRole("option");
    expect(options.map((option) => option.textContent)).toEqual(["Owner", "Admin", "Member"]);
  });

  it("the rules: leaving as the last owner is refused up front; with a second owner it is allowed", () => {
    expect(leaveRule("OWNER", 1)).toEqual({ canLeave: false, reason: expect.stringMatching(/only owner/) });
    expect(leaveRule("OWNER", 2)).toEqual({ canLeave: true });
    expect(leaveRule("MEMBER", 1)).toEqual({ canLeave: true });
    expect(memberActions("OWNER", { role: "OWNER", isSelf: false }, 2)).toMatchObject({ roles: ["OWNER", "ADMIN", "MEMBER"], canRemove: true });
  });

  it("a list that cannot load says so with a way to try again", async () => {
    vi.stubGlobal("fetch", answerOperations({ TeamMembers: graphQLError("UNAVAILABLE", "database down") }).fetch);
    renderWithQueries(<MemberList viewerRole="OWNER" viewerUserId="u1" />);
    expect(await screen.findByRole("alert")).toHaveTextContent("Briefly unavailable");
    expect(screen.getByRole("button", { name: "Try again" })).toBeInTheDocument();
  });
});
